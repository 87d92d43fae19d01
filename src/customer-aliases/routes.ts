// HTTP for /customer-aliases, thin: request -> service -> present -> response.
import { OperationRouter } from '../http/operation-router.js';
import { type Request, type Response } from 'express';
import { pageOf } from '../customers/pagination.js';
import { pageCursors, presentAlias } from '../customers/present.js';
import { listParams } from '../customers/routes.js';
import { committer, found, notFound } from '../http/respond.js';
import type { ServiceDeps } from '../customers/service.js';
import type { Store } from '../store/types.js';
import * as service from './service.js';

export function customerAliasRoutes(store: Store, deps: ServiceDeps): OperationRouter {
  const router = new OperationRouter();
  const sendCommitted = committer(store);
  const partitionOf = (res: Response) => store.partition(res.locals.clientId);
  const present = (res: Response, { alias, customer }: service.AliasOf, deletedAt?: string) =>
    presentAlias(alias, customer.id, res.locals.clientId, deletedAt);
  const missing = (id: string) => () => notFound('customer alias', '/path/id', id);
  type Params = Record<string, string>;

  router.get('/customer-aliases', function getCustomerAliases(req: Request, res: Response) {
    const value = typeof req.query.value === 'string' ? req.query.value : undefined;
    const sorted = partitionOf(res)
      .aliases(value)
      .map((entry) => ({ key: entry.key, item: entry }));
    const page = pageOf(sorted, listParams(req.query));
    res.json({
      items: page.items.map((entry) => present(res, entry)),
      pagination: { ...pageCursors(page, page.first, page.last), totalResultSize: page.total },
    });
  });

  router.post('/customer-aliases', async function postCustomerAliases(req: Request, res: Response) {
    const created = service.createAlias(partitionOf(res), req.body as service.CreateAliasRequest, deps);
    await sendCommitted(res, 201, present(res, created));
  });

  router.put('/customer-aliases/:id', async function putCustomerAliasesById(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    const updated = found(service.updateAlias(partitionOf(res), id, req.body as service.UpdateAliasRequest, deps), missing(id));
    await sendCommitted(res, 200, present(res, updated));
  });

  router.delete('/customer-aliases/:id', async function deleteCustomerAliasesById(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    const deleted = found(service.deleteAlias(partitionOf(res), id, deps), missing(id));
    await sendCommitted(res, 200, present(res, deleted, deleted.deletedAt));
  });

  return router;
}
