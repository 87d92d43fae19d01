// /__admin: sequence-mock's own API for tests (spec/mock.yaml). Who may call it, and on which
// partitions, is guard.ts's: by here the Host, the Origin and the admin token have been checked.
// A call with Sequence credentials acts on that client id's partition only; without them, on every
// partition (refused when the server checks credentials and has no admin token).
import { Router, type Request, type Response } from 'express';
import { presentCustomer } from '../../resources/customers/present.js';
import { allowedCredentials, parseBasicAuth } from '../../http/auth.js';
import { ApiError, MESSAGES } from '../../http/errors.js';
import { TooManyRules, type FaultRuleRequest } from '../../http/faults.js';
import { MAX_PARTITION_RECORDS } from '../../engine/store/memory.js';
import type { Store } from '../../engine/store/types.js';
import type { Admin, ResetTarget } from './service.js';
import { uiFile, uiPage } from '../dashboard/ui.js';
import { catalogue } from '../dashboard/catalogue.js';
import type { Collection } from '../../engine/contract/operations.js';
import type { Conformer } from '../../engine/contract/conform.js';
import { parseDuration } from '../billing/clock.js';
import { isAdmin, type AdminPolicy } from './guard.js';

export type AdminRouteOptions = Pick<AdminPolicy, 'adminToken' | 'credentials'>;
/** What the document says, for the dashboard's catalogue of collections. */
export interface AdminDocument {
  collections: readonly Collection[];
  conformer: Conformer;
}

export function adminRoutes(admin: Admin, store: Store, options: AdminRouteOptions, document: AdminDocument): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The page and its files need no token: they hold no data, and the page asks for the token itself.
  router.get('/ui', uiPage);
  router.get('/ui/:file', uiFile);

  /** The caller's partition when it sent (valid) credentials; undefined (every partition) only for the admin. */
  const partitionOf = (req: Request): string | undefined => {
    if (req.headers.authorization === undefined) {
      if (!isAdmin(req.headers, options)) {
        throw new ApiError(403, MESSAGES.adminAllPartitions, [{ path: '/headers/authorization', message: MESSAGES.adminAllPartitions }]);
      }
      return undefined;
    }
    const { clientId, clientSecret } = parseBasicAuth(req.headers.authorization);
    if (options.credentials && !allowedCredentials(options.credentials, clientId, clientSecret)) {
      throw new ApiError(401, MESSAGES.authRejected, [{ path: '/headers/authorization', message: MESSAGES.authRejected }]);
    }
    return clientId;
  };

  router.post('/reset', async (req: Request, res: Response) => {
    const { to, all } = (req.body ?? {}) as { to?: ResetTarget; all?: boolean };
    const partition = partitionOf(req);
    // Every partition only when asked for by name: a page or script that lost its credentials must
    // not wipe everyone's data by omission.
    if (partition === undefined && all !== true)
      throw new ApiError(400, MESSAGES.resetAllExplicit, [{ path: '/body/all', message: MESSAGES.resetAllExplicit }]);
    if (partition !== undefined && all !== undefined)
      throw new ApiError(400, MESSAGES.resetAllWithCredentials, [{ path: '/body/all', message: MESSAGES.resetAllWithCredentials }]);
    const result = admin.reset(partition, to);
    await store.commit();
    res.json(result);
  });

  router.post('/seed', async (req: Request, res: Response) => {
    const partition = partitionOf(req);
    if (partition === undefined) {
      throw new ApiError(401, MESSAGES.seedNeedsPartition, [{ path: '/headers/authorization', message: MESSAGES.seedNeedsPartition }]);
    }
    if (store.partition(partition).size >= MAX_PARTITION_RECORDS) {
      const message = MESSAGES.partitionFull(MAX_PARTITION_RECORDS);
      throw new ApiError(507, message, [{ path: '/', message }]);
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

  // Divergences are the server's, not a partition's: only the admin reads or clears them.
  router.get('/divergences', (req: Request, res: Response) => {
    adminOnly(req);
    res.json(admin.divergences.summary());
  });

  router.delete('/divergences', (req: Request, res: Response) => {
    adminOnly(req);
    admin.divergences.clear();
    res.status(204).end();
  });

  router.get('/faults', (req: Request, res: Response) => {
    res.json({ items: admin.listFaults(partitionOf(req)) });
  });

  router.post('/faults', (req: Request, res: Response) => {
    try {
      res.status(201).json(admin.addFault(req.body as FaultRuleRequest, partitionOf(req)));
    } catch (err) {
      if (!(err instanceof TooManyRules)) throw err;
      throw new ApiError(409, err.message, [{ path: '/', message: err.message }]);
    }
  });

  router.delete('/faults/:id', (req: Request<{ id: string }>, res: Response) => {
    if (!admin.removeFault(req.params.id, partitionOf(req))) {
      const message = `no fault rule ${req.params.id}`;
      throw new ApiError(404, message, [{ path: '/path/id', message }]);
    }
    res.status(204).end();
  });

  router.get('/partitions', (req: Request, res: Response) => {
    const own = partitionOf(req);
    res.json({ items: own === undefined ? admin.partitions() : admin.partitions().filter((id) => id === own) });
  });

  router.get('/collections', (req: Request, res: Response) => {
    partitionOf(req);
    res.json({ items: catalogue(document.collections, document.conformer) });
  });

  router.delete('/faults', (req: Request, res: Response) => {
    admin.clearFaults(partitionOf(req));
    res.status(204).end();
  });

  // Webhook deliveries (tools/webhooks/): what was sent where, again on demand, raised by hand, paused.
  const webhooksOf = () => {
    if (!admin.webhooks) throw new ApiError(404, MESSAGES.notWithUpstream, [{ path: '/', message: MESSAGES.notWithUpstream }]);
    return admin.webhooks;
  };
  const ownPartition = (req: Request): string => {
    const partition = partitionOf(req);
    if (partition === undefined)
      throw new ApiError(401, MESSAGES.webhooksNeedPartition, [
        { path: '/headers/authorization', message: MESSAGES.webhooksNeedPartition },
      ]);
    return partition;
  };

  router.get('/webhooks', (req: Request, res: Response) => {
    const webhooks = webhooksOf();
    const own = partitionOf(req);
    const q = req.query;
    const partitions = own === undefined ? admin.partitions() : [own];
    const items = partitions
      .flatMap((partition) => webhooks.list(partition).map((delivery) => ({ partition, ...delivery })))
      .filter((d) => typeof q.status !== 'string' || d.status === q.status)
      .filter((d) => typeof q.notificationType !== 'string' || d.notificationType === q.notificationType)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, q.limit === undefined ? 100 : Number(q.limit))
      .map(({ roundStart: _round, ...delivery }) => delivery);
    res.json({
      items,
      ...(own !== undefined && { paused: webhooks.isPaused(own), dropped: webhooks.droppedIn(own) }),
    });
  });

  router.post('/webhooks/trigger', async (req: Request, res: Response) => {
    const webhooks = webhooksOf();
    const partition = ownPartition(req);
    const { notificationType, resourceId } = req.body as { notificationType: string; resourceId: string };
    if (!webhooks.types.has(notificationType)) {
      const message = `${notificationType} is not one of the document's notification types`;
      throw new ApiError(400, message, [{ path: '/body/notificationType', message }]);
    }
    const made = webhooks.trigger(partition, notificationType, resourceId);
    if (!made) {
      const message = `no resource with id ${resourceId} for ${notificationType} in this partition`;
      throw new ApiError(404, message, [{ path: '/body/resourceId', message }]);
    }
    await store.commit();
    res.status(201).json({ items: made.map(({ roundStart: _round, ...delivery }) => delivery) });
  });

  router.post('/webhooks/:id/redeliver', async (req: Request<{ id: string }>, res: Response) => {
    const again = webhooksOf().redeliver(ownPartition(req), req.params.id);
    if (!again) {
      const message = `no webhook delivery ${req.params.id} in this partition`;
      throw new ApiError(404, message, [{ path: '/path/id', message }]);
    }
    await store.commit();
    const { roundStart: _round, ...delivery } = again;
    res.json(delivery);
  });

  router.put('/webhooks/paused', (req: Request, res: Response) => {
    const partition = ownPartition(req);
    const { paused } = req.body as { paused: boolean };
    webhooksOf().setPaused(partition, paused);
    res.json({ paused });
  });

  // The partition's test clock (tools/billing/): moving it forward runs billing.
  const clocksOf = () => {
    if (!admin.clocks) throw new ApiError(404, MESSAGES.notWithUpstream, [{ path: '/', message: MESSAGES.notWithUpstream }]);
    return admin.clocks;
  };
  const timeOf = (value: unknown, path: string): Date => {
    const time = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(time.getTime()))
      throw new ApiError(400, `${String(value)} is not a date-time`, [{ path, message: 'must be a date-time' }]);
    return time;
  };

  router.get('/clock', (req: Request, res: Response) => {
    res.json(clocksOf().read(ownPartition(req)));
  });

  router.put('/clock', async (req: Request, res: Response) => {
    const result = clocksOf().set(ownPartition(req), timeOf((req.body as { now?: unknown }).now, '/body/now'));
    await store.commit();
    res.json(result);
  });

  router.post('/clock/advance', async (req: Request, res: Response) => {
    const clocks = clocksOf();
    const partition = ownPartition(req);
    const { by, to } = req.body as { by?: string; to?: string };
    let result;
    if (to !== undefined) result = clocks.set(partition, timeOf(to, '/body/to'));
    else {
      const duration = parseDuration(by ?? '');
      if (!duration)
        throw new ApiError(400, `${String(by)} is not an ISO 8601 duration`, [
          { path: '/body/by', message: 'must be an ISO 8601 duration such as P1M, P10D or PT1H' },
        ]);
      result = clocks.advance(partition, duration);
    }
    await store.commit();
    res.json(result);
  });

  router.delete('/clock', (req: Request, res: Response) => {
    res.json(clocksOf().reset(ownPartition(req)));
  });

  /** Server-wide reads and changes: no credentials naming a partition, and the admin's. */
  const adminOnly = (req: Request): void => {
    if (req.headers.authorization !== undefined || partitionOf(req) !== undefined) {
      throw new ApiError(403, MESSAGES.adminServerWide, [{ path: '/headers/authorization', message: MESSAGES.adminServerWide }]);
    }
  };

  return router;
}
