// HTTP for /payments/settings/customers, thin: request -> service -> present -> response.
import { OperationRouter } from '../http/operation-router.js';
import { type Request, type Response } from 'express';
import { accountIdOf } from '../customers/present.js';
import { committer, found, notFound } from '../http/respond.js';
import type { ServiceDeps } from '../customers/service.js';
import type { Store } from '../store/types.js';
import * as service from './service.js';

export function paymentSettingsRoutes(store: Store, deps: ServiceDeps): OperationRouter {
  const router = new OperationRouter();
  const sendCommitted = committer(store);
  const partitionOf = (res: Response) => store.partition(res.locals.clientId);
  const present = (res: Response, { settings, customer }: service.SettingsOf) => ({
    id: settings.id,
    sequenceAccountId: accountIdOf(res.locals.clientId),
    customerId: customer.id,
    paymentProvider: settings.paymentProvider,
  });
  const missing = (id: string) => () => notFound('customer payment settings', '/path/id', id);
  type Params = Record<string, string>;
  const base = '/payments/settings/customers';

  router.post(base, async function postPaymentsSettingsCustomers(req: Request, res: Response) {
    await sendCommitted(res, 201, present(res, service.createSettings(partitionOf(res), req.body as service.CreateSettingsRequest, deps)));
  });

  router.get(`${base}/:id`, function getPaymentsSettingsCustomersById(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    res.json(present(res, found(service.getSettings(partitionOf(res), id), missing(id))));
  });

  router.put(`${base}/:id`, async function putPaymentsSettingsCustomersById(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    const updated = found(service.updateSettings(partitionOf(res), id, req.body as service.UpdateSettingsRequest, deps), missing(id));
    await sendCommitted(res, 200, present(res, updated));
  });

  router.delete(`${base}/:id`, async function deletePaymentsSettingsCustomersById(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    await sendCommitted(res, 200, present(res, found(service.deleteSettings(partitionOf(res), id, deps), missing(id))));
  });

  return router;
}
