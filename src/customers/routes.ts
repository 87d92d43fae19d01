// HTTP for customers, contacts, a customer's aliases and custom property keys, kept thin:
// request -> service -> present -> response.
// Handlers are named after the spec's operationIds; the validator has checked every body and
// parameter against openapi.yaml before a handler runs.
import { OperationRouter } from '../http/operation-router.js';
import { randomUUID } from 'node:crypto';
import { type Request, type Response } from 'express';
import { ApiError, MESSAGES } from '../http/errors.js';
import { committer, found, notFound, sendJson } from '../http/respond.js';
import type { Partition, Store } from '../store/types.js';
import { toCustomerQuery, type ListParams } from './pagination.js';
import { presentAliases, presentByAlias, presentCustomer, presentPage } from './present.js';
import type { ContactRequest, CustomerRequest } from './rules.js';
import * as service from './service.js';

export const defaultServiceDeps: service.ServiceDeps = { now: () => new Date(), newId: randomUUID };

/** Query values arrive as strings or, after the validator's coercion, as typed values. */
const isTrue = (value: unknown) => value === true || value === 'true';

export function listParams(query: Request['query']): ListParams {
  const text = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  const includeArchived = query.includeArchived === undefined ? undefined : isTrue(query.includeArchived);
  const names = ['sortBy', 'sortOrder', 'legalName', 'email', 'alias', 'label', 'billingStatus', 'before', 'after'];
  return {
    ...Object.fromEntries(names.flatMap((n) => (text(n) === undefined ? [] : [[n, text(n)]]))),
    ...(limit !== undefined && { limit }),
    ...(includeArchived !== undefined && { includeArchived }),
  };
}

export function customerRoutes(store: Store, deps: service.ServiceDeps = defaultServiceDeps): OperationRouter {
  const router = new OperationRouter();
  const partitionOf = (res: Response): Partition => store.partition(res.locals.clientId);
  const sendCommitted = committer(store);
  type Params = Record<string, string>;

  router.get('/customers', function getCustomers(req: Request, res: Response) {
    const partition = partitionOf(res);
    const query = toCustomerQuery(listParams(req.query));
    const page = service.listCustomers(partition, query);
    res.json(presentPage(page, partition, query.sortProperty));
  });

  router.get('/customer-custom-property-keys', function getCustomerCustomPropertyKeys(_req: Request, res: Response) {
    res.json({ items: partitionOf(res).customPropertyKeys() });
  });

  router.post('/customers', async function postCustomers(req: Request, res: Response) {
    const partition = partitionOf(res);
    const customer = service.createCustomer(partition, req.body as CustomerRequest, deps);
    await sendCommitted(res, 201, presentCustomer(customer, partition));
  });

  router.get('/customers/by-alias/:alias', function getCustomersByAliasByAlias(req: Request<Params>, res: Response) {
    const partition = partitionOf(res);
    const alias = req.params.alias!;
    const customer = found(
      service.getCustomerByAlias(partition, alias),
      () => new ApiError(404, MESSAGES.notFound, [{ path: '/path/alias', message: `no customer with alias ${alias}` }]),
    );
    res.json(presentByAlias(customer, partition));
  });

  router.get('/customers/:id', function getCustomersById(req: Request<Params>, res: Response) {
    const partition = partitionOf(res);
    const id = req.params.id!;
    const customer = found(service.getCustomer(partition, id), () => notFound('customer', '/path/id', id));
    sendJson(res, 200, presentCustomer(customer, partition));
  });

  router.put('/customers/:id', async function putCustomersById(req: Request<Params>, res: Response) {
    const partition = partitionOf(res);
    const id = req.params.id!;
    const customer = found(service.updateCustomer(partition, id, req.body as CustomerRequest, deps), () =>
      notFound('customer', '/path/id', id),
    );
    await sendCommitted(res, 200, presentCustomer(customer, partition));
  });

  router.post('/customers/:id/archive', async function postCustomersByIdArchive(req: Request<Params>, res: Response) {
    const partition = partitionOf(res);
    const id = req.params.id!;
    const customer = found(service.archiveCustomer(partition, id, deps), () => notFound('customer', '/path/id', id));
    await sendCommitted(res, 200, presentCustomer(customer, partition));
  });

  router.get('/customers/:id/aliases', function getCustomersByIdAliases(req: Request<Params>, res: Response) {
    const id = req.params.id!;
    const customer = found(service.getCustomer(partitionOf(res), id), () => notFound('customer', '/path/id', id));
    res.json(presentAliases(customer, res.locals.clientId));
  });

  router.get('/customers/:customer/contacts', function getCustomersByCustomerContacts(req: Request<Params>, res: Response) {
    const id = req.params.customer!;
    const includeArchived = isTrue(req.query.includeArchived);
    const items = found(service.listContacts(partitionOf(res), id, includeArchived), () => notFound('customer', '/path/customer', id));
    res.json({ items });
  });

  router.post('/customers/:customer/contacts', async function postCustomersByCustomerContacts(req: Request<Params>, res: Response) {
    const id = req.params.customer!;
    const contact = found(service.createContact(partitionOf(res), id, req.body as ContactRequest, deps), () =>
      notFound('customer', '/path/customer', id),
    );
    await sendCommitted(res, 201, contact);
  });

  router.put('/customers/:customer/contacts/:id', async function putCustomersByCustomerContactsById(req: Request<Params>, res: Response) {
    const { customer, id } = req.params as { customer: string; id: string };
    const partition = partitionOf(res);
    found(service.getCustomer(partition, customer), () => notFound('customer', '/path/customer', customer));
    const contact = found(service.updateContact(partition, customer, id, req.body as ContactRequest, deps), () =>
      notFound('contact', '/path/id', id),
    );
    await sendCommitted(res, 200, contact);
  });

  router.post(
    '/customers/:customer/contacts/:id/archive',
    async function postCustomersByCustomerContactsByIdArchive(req: Request<Params>, res: Response) {
      const { customer, id } = req.params as { customer: string; id: string };
      const partition = partitionOf(res);
      found(service.getCustomer(partition, customer), () => notFound('customer', '/path/customer', customer));
      const contact = found(service.archiveContact(partition, customer, id, deps), () => notFound('contact', '/path/id', id));
      await sendCommitted(res, 200, contact);
    },
  );

  return router;
}
