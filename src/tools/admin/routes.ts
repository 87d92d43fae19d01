// /__admin: sequence-mock's own API for tests (spec/mock.yaml). A call with Sequence credentials
// acts on that client id's partition only; without them, on every partition. With ADMIN_TOKEN set,
// every call but health needs X-Admin-Token.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { presentCustomer } from '../../resources/customers/present.js';
import { parseBasicAuth } from '../../http/auth.js';
import { ApiError, MESSAGES } from '../../http/errors.js';
import type { FaultRuleRequest } from '../../http/faults.js';
import type { Store } from '../../engine/store/types.js';
import type { Admin, ResetTarget } from './service.js';
import { uiFile, uiPage } from '../dashboard/ui.js';

export interface AdminRouteOptions {
  adminToken: string | undefined;
  credentials: ReadonlyMap<string, string> | undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function adminRoutes(admin: Admin, store: Store, options: AdminRouteOptions): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The page and its files need no token: they hold no data, and the page asks for the token itself.
  router.get('/ui', uiPage);
  router.get('/ui/:file', uiFile);

  const requireToken: RequestHandler = (req, _res, next) => {
    const token = req.headers['x-admin-token'];
    if (options.adminToken !== undefined && (typeof token !== 'string' || !sameSecret(token, options.adminToken))) {
      throw new ApiError(401, MESSAGES.adminToken, [{ path: '/headers/x-admin-token', message: MESSAGES.adminToken }]);
    }
    next();
  };
  router.use(requireToken);

  /** The caller's partition when it sent (valid) credentials. */
  const partitionOf = (req: Request): string | undefined => {
    if (req.headers.authorization === undefined) return undefined;
    const { clientId, clientSecret } = parseBasicAuth(req.headers.authorization);
    if (options.credentials && options.credentials.get(clientId) !== clientSecret) {
      throw new ApiError(401, MESSAGES.authRejected, [{ path: '/headers/authorization', message: MESSAGES.authRejected }]);
    }
    return clientId;
  };

  router.post('/reset', async (req: Request, res: Response) => {
    const to = (req.body as { to?: ResetTarget } | undefined)?.to;
    const result = admin.reset(partitionOf(req), to);
    await store.commit();
    res.json(result);
  });

  router.post('/seed', async (req: Request, res: Response) => {
    const partition = partitionOf(req);
    if (partition === undefined) {
      throw new ApiError(401, MESSAGES.seedNeedsPartition, [{ path: '/headers/authorization', message: MESSAGES.seedNeedsPartition }]);
    }
    const made = await admin.seed(partition, req.body as { count?: number; seed?: number; withChildren?: boolean; withActivity?: boolean });
    const view = store.partition(partition);
    await store.commit();
    res.status(201).json({ items: made.map((customer) => presentCustomer(customer, view)) });
  });

  router.get('/requests', (req: Request, res: Response) => {
    const q = req.query;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const partition = partitionOf(req) ?? text(q.partition);
    const items = admin.requests({
      ...(text(q.path) !== undefined && { path: text(q.path) }),
      ...(text(q.method) !== undefined && { method: text(q.method) }),
      ...(q.status !== undefined && { status: Number(q.status) }),
      ...(partition !== undefined && { partition }),
      ...(q.limit !== undefined && { limit: Number(q.limit) }),
    });
    res.json({ items, size: admin.journal.size, capacity: admin.journal.capacity });
  });

  router.delete('/requests', (req: Request, res: Response) => {
    admin.clearRequests(partitionOf(req));
    res.status(204).end();
  });

  router.get('/divergences', (_req: Request, res: Response) => {
    res.json(admin.divergences.summary());
  });

  router.delete('/divergences', (_req: Request, res: Response) => {
    admin.divergences.clear();
    res.status(204).end();
  });

  router.get('/faults', (req: Request, res: Response) => {
    res.json({ items: admin.listFaults(partitionOf(req)) });
  });

  router.post('/faults', (req: Request, res: Response) => {
    res.status(201).json(admin.addFault(req.body as FaultRuleRequest, partitionOf(req)));
  });

  router.delete('/faults/:id', (req: Request<{ id: string }>, res: Response) => {
    if (!admin.removeFault(req.params.id, partitionOf(req))) {
      const message = `no fault rule ${req.params.id}`;
      throw new ApiError(404, message, [{ path: '/path/id', message }]);
    }
    res.status(204).end();
  });

  router.get('/partitions', (_req: Request, res: Response) => {
    res.json({ items: admin.partitions() });
  });

  router.delete('/faults', (req: Request, res: Response) => {
    admin.clearFaults(partitionOf(req));
    res.status(204).end();
  });

  return router;
}
