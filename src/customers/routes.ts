// HTTP for customers, kept thin: request -> service -> present -> response.
// Handlers are named after the spec's operationIds.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { ApiError, MESSAGES } from '../http/errors.js';
import type { Store } from '../store/types.js';
import { presentCustomer } from './present.js';
import type { CustomerRequest } from './rules.js';
import { createCustomer, getCustomer, type ServiceDeps } from './service.js';

export const defaultServiceDeps: ServiceDeps = { now: () => new Date(), newId: randomUUID };

export function customerRoutes(store: Store, deps: ServiceDeps = defaultServiceDeps): Router {
  const router = Router();

  router.post('/customers', function postCustomers(req: Request, res: Response) {
    const partition = store.partition(res.locals.clientId);
    // The spec validator has already checked the body against CreateOrUpdateCustomerRequest.
    const customer = createCustomer(partition, req.body as CustomerRequest, deps);
    res.status(201).json(presentCustomer(customer, partition));
  });

  router.get('/customers/:id', function getCustomersById(req: Request<{ id: string }>, res: Response) {
    const partition = store.partition(res.locals.clientId);
    const customer = getCustomer(partition, req.params.id);
    if (!customer) {
      throw new ApiError(404, MESSAGES.notFound, [{ path: '/path/id', message: `no customer with id ${req.params.id}` }]);
    }
    res.json(presentCustomer(customer, partition));
  });

  return router;
}
