// Every operation of Sequence's published document, listed from the document (never by hand), in
// strict mode (every answer checked against the document by the app itself):
//   - a valid request, built from the document's own examples, is a 2xx;
//   - an invalid one is a 400 in Sequence's envelope;
//   - one without credentials is a 401.
// And every collection the document describes (create, then read, list, update, remove) keeps state.
// Each operation runs in a partition of its own. Ids a request needs are made first, the way a client
// would: an item path's id by creating that item; a body's customerId by creating a customer.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { describeCollections, describeOperations, type Collection, type OperationInfo } from '../src/engine/contract/operations.js';
import { ADMIN_PATH } from '../src/app.js';
import { basic, makeApp, spec, vendorExample } from './helpers.js';

type Json = Record<string, any>;
const vendor = { ...spec, paths: Object.fromEntries(Object.entries(spec.paths).filter(([path]) => !path.startsWith(ADMIN_PATH))) };
const operations = describeOperations(vendor);
const collections = describeCollections(operations);
const { app } = makeApp();

const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
const params = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
const fill = (path: string, values: Record<string, string>) =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name]!));

let partitions = 0;
/** A client of its own for each operation. */
function client() {
  partitions += 1;
  return basic(`walk-${process.pid}-${partitions}`);
}

function call(auth: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  let req = (request(app) as any)[method](`/api${path}`);
  if (auth) req = req.set('Authorization', auth);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return body === undefined ? req : req.send(body);
}

/** A parameter's documented example, else a value its schema accepts. */
function exampleOf(operation: OperationInfo, name: string, where: 'path' | 'query'): string | undefined {
  const declared = ((vendor.paths[operation.path] as Json)[operation.method].parameters ?? []).find(
    (p: Json) => p.name === name && p.in === where,
  );
  const schema = declared?.schema ?? {};
  const fallback =
    schema.type === 'integer' || schema.type === 'number'
      ? 1
      : schema.type === 'boolean'
        ? true
        : /date|start|end/i.test(name)
          ? '2024-01-01'
          : 'walk';
  return String(declared?.example ?? schema.example ?? schema.enum?.[0] ?? (schema.format === 'date' ? '2024-01-01' : fallback));
}

/** The document's request example, with the customers it names (customerId, ownerId, customerIds, ...) made in this partition. */
async function bodyFor(auth: string, operation: OperationInfo): Promise<unknown> {
  const body = structuredClone(operation.requestExample) as Json | undefined;
  if (!body || typeof body !== 'object') return body;
  for (const [field, value] of Object.entries(body)) {
    if (field === 'customerAlias') body[field] = await aliasOfCustomer(auth);
    // A price names a product of the account; a schedule's phases name its prices.
    if (field === 'productId') body[field] = await product(auth);
    if (field === 'phases' && Array.isArray(value))
      for (const phase of value as Json[]) if (Array.isArray(phase.priceIds)) phase.priceIds = [await price(auth)];
    if (!/^(customerId|ownerId|customerIds|memberIds)$/.test(field)) continue;
    body[field] = Array.isArray(value) ? [await customer(auth)] : await customer(auth);
  }
  return body;
}

async function product(auth: string): Promise<string> {
  const res = await call(auth, 'post', '/products', { name: 'walk', label: 'walk' });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function price(auth: string): Promise<string> {
  const body = { productId: await product(auth), name: 'walk', currency: 'GBP', billingFrequency: 'MONTHLY', billingType: 'IN_ADVANCE' };
  const res = await call(auth, 'post', '/prices', { ...body, structure: { pricingType: 'FIXED', price: '1.00' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function customer(auth: string): Promise<string> {
  const { customerAliases: _aliases, ...body } = vendorExample();
  const res = await call(auth, 'post', '/customers', body);
  expect([res.status, res.body]).toEqual([201, expect.anything()]);
  return res.body.id;
}

async function aliasOfCustomer(auth: string): Promise<string> {
  const alias = `walk-${crypto.randomUUID()}`;
  const { customerAliases: _aliases, ...body } = vendorExample();
  const res = await call(auth, 'post', '/customers', { ...body, customerAliases: [alias] });
  expect(res.status).toBe(201);
  return alias;
}

/** Creates an item of a collection (and its parents) in this partition; answers the path parameters naming it. */
async function item(auth: string, collection: Collection): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (collection.parent) {
    const parent = collections.find((c) => c.name === collection.parent!.collection)!;
    Object.assign(values, await item(auth, parent));
    values[collection.parent.param] = values[parent.itemParam!]!;
  }
  if (!collection.create) {
    // Nothing creates it: its records are the document's own (src/engine/fixtures.ts).
    const list = await call(auth, 'get', fill(collection.name, values));
    // A setting answers its one record; a list, a page of them.
    const first = collection.single ? list.body : list.body.items?.[0];
    expect([collection.name, list.status, typeof first?.id]).toEqual([collection.name, 200, 'string']);
    values[collection.itemParam ?? 'id'] = first.id;
    return values;
  }
  const res = await call(auth, 'post', fill(collection.name, values), await bodyFor(auth, collection.create));
  expect([collection.name, res.status, res.body]).toEqual([collection.name, 201, expect.anything()]);
  values[collection.itemParam ?? 'id'] = res.body.id;
  return values;
}

/** Path parameters for an operation: ids of items made for it where the path runs through a collection's item. */
async function pathValues(auth: string, operation: OperationInfo): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const owner = collections
    .filter((c) => c.itemPath && (shape(operation.path) === shape(c.itemPath) || shape(operation.path).startsWith(`${shape(c.itemPath)}/`)))
    .sort((a, b) => b.itemPath!.length - a.itemPath!.length)[0];
  if (owner) {
    const made = await item(auth, owner);
    // The operation may name the same parameters differently from the collection's own paths.
    const ours = params(owner.itemPath!);
    params(operation.path).forEach((name, i) => (values[name] = made[ours[i] ?? ''] ?? made[name]!));
  }
  for (const name of params(operation.path)) {
    values[name] ??= name.toLowerCase().includes('customer')
      ? await customer(auth)
      : (exampleOf(operation, name, 'path') ?? crypto.randomUUID());
  }
  return values;
}

/** Preconditions the document cannot state: what a hand-written operation needs to exist first. */
const PREPARE: Record<string, (auth: string, values: Record<string, string>) => Promise<void>> = {
  'get /customers/by-alias/{alias}': async (auth, values) => {
    const res = await call(auth, 'post', '/customers', { ...vendorExample(), customerAliases: ['walk-alias'] });
    expect(res.status).toBe(201);
    values.alias = 'walk-alias';
  },
  'post /customer-organizations/{id}/members': async (auth, values) => organization(auth, values),
  // Recipients are URLs for a WEBHOOK policy and emails for an EMAIL one; the add example is an email.
  'post /notifications/policies/{id}/recipients': async (auth, values) => {
    const res = await call(auth, 'post', '/notifications/policies', {
      name: 'Finance',
      recipients: ['finance@example.com'],
      channel: 'EMAIL',
    });
    expect(res.status).toBe(201);
    values.id = res.body.id;
  },
  // A policy keeps at least one recipient and one type: give it a second to remove.
  'delete /notifications/policies/{id}/recipients/{recipient}': async (auth, values) => {
    const res = await call(auth, 'post', `/notifications/policies/${values.id}/recipients`, {
      recipients: ['https://ops.example.com/hook'],
    });
    expect(res.status).toBe(200);
    values.recipient = 'https://ops.example.com/hook';
  },
  'delete /notifications/policies/{id}/notification-types/{type}': async (auth, values) => {
    const res = await call(auth, 'post', `/notifications/policies/${values.id}/notification-types`, {
      notificationTypes: ['INVOICE_ISSUED'],
    });
    expect(res.status).toBe(200);
    values.type = 'INVOICE_ISSUED';
  },
  'put /customer-organizations/{id}/members': async (auth, values) => organization(auth, values),
  // A quote's PDF and analytics need a quote of the account: the documented one (archived).
  'get /quotes/{id}/download': async (auth, values) => void (values.id = await documentedQuote(auth)),
  'get /quotes/{id}/analytics': async (auth, values) => void (values.id = await documentedQuote(auth)),
  // /credits/{customerId}/... names a customer, not a credit grant (whose item path it shares).
  'get /credits/{customerId}/balances': async (auth, values) => void (values.customerId = await customer(auth)),
  'get /credits/{customerId}/grants': async (auth, values) => void (values.customerId = await customer(auth)),
  // A for-<thing> read finds the settings made for that thing: make them first.
  'get /payments/settings/billing-schedules/for-billing-schedule/{id}': async (auth, values) =>
    settingsFor(auth, values, '/payments/settings/billing-schedules', 'billingScheduleId'),
  'get /payments/settings/invoices/for-invoice/{id}': async (auth, values) =>
    settingsFor(auth, values, '/payments/settings/invoices', 'invoiceId'),
  // Sending needs a FINAL document (DRAFT -> FINAL -> SENT, src/resources/invoices/lifecycle.ts).
  'post /invoices/{id}/send': async (auth, values) => finalize(auth, `/invoices/${values.id}`),
  'post /credit-notes/{id}/send': async (auth, values) => finalize(auth, `/credit-notes/${values.id}`),
};
/** Bodies the document's example cannot be: a credit-note application names a FINAL invoice and credit note of the account. */
const BODIES: Record<string, (auth: string) => Promise<unknown>> = {
  'post /credit-note-applications': async (auth) => {
    const made = async (kind: 'invoices' | 'credit-notes') => {
      const res = await call(auth, 'post', `/${kind}`, { currency: 'USD', customerId: await customer(auth) });
      const id = res.body.id as string;
      const line = {
        title: 'line',
        quantity: '1',
        rate: '100.00',
        taxRate: '0',
        externalIds: [],
        ...(kind === 'credit-notes' && { creditNoteId: id }),
      };
      expect((await call(auth, 'post', `/${kind}/${id}/line-items`, line)).status).toBe(201);
      await finalize(auth, `/${kind}/${id}`);
      return id;
    };
    const example = (operations.find((o) => o.operationId === 'postCreditNoteApplications')!.requestExample ?? {}) as Json;
    return {
      ...example,
      invoiceId: await made('invoices'),
      creditNoteId: await made('credit-notes'),
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    };
  },
};

async function documentedQuote(auth: string): Promise<string> {
  const res = await call(auth, 'get', '/quotes?includeArchived=true');
  expect(res.body.items.length).toBeGreaterThan(0);
  return res.body.items[0].id;
}

async function settingsFor(auth: string, values: Record<string, string>, path: string, field: string) {
  const create = operations.find((o) => o.method === 'post' && o.path === path)!;
  const body = (await bodyFor(auth, create)) as Json;
  const res = await call(auth, 'post', path, body);
  expect(res.status).toBe(201);
  values.id = body[field];
}

async function finalize(auth: string, path: string) {
  expect((await call(auth, 'post', `${path}/finalize`)).status).toBe(200);
}
async function organization(auth: string, values: Record<string, string>) {
  const create = operations.find((o) => o.method === 'post' && o.path === '/customer-organizations')!;
  const res = await call(auth, 'post', '/customer-organizations', await bodyFor(auth, create));
  expect(res.status).toBe(201);
  values.id = res.body.id;
}

const key = (operation: OperationInfo) => `${operation.method} ${operation.path}`;

describe('every operation of the published document', () => {
  it('is all 173 of them', () => {
    expect(operations).toHaveLength(173);
  });

  it.each(operations.map((operation) => [key(operation), operation] as const))('%s: a valid request is a 2xx', async (_name, operation) => {
    const auth = client();
    const values = await pathValues(auth, operation);
    await PREPARE[key(operation)]?.(auth, values);
    const query = new URLSearchParams();
    const declared = ((vendor.paths[operation.path] as Json)[operation.method].parameters ?? []) as Json[];
    for (const parameter of declared) {
      if (parameter.in !== 'query' || !parameter.required) continue;
      const value = parameter.name.toLowerCase().includes('customer')
        ? await customer(auth)
        : exampleOf(operation, parameter.name, 'query');
      if (value !== undefined) query.set(parameter.name, value);
    }
    const path = fill(operation.path, values) + (query.size > 0 ? `?${query}` : '');
    const body = operation.hasBody ? await (BODIES[key(operation)]?.(auth) ?? bodyFor(auth, operation)) : undefined;
    const res = await call(auth, operation.method, path, body);
    // The operation's first documented 2xx, or another it documents where the fake answers that one
    // (POST /credit-note-applications documents an empty 200 and the 201 with both balances).
    const documented = Object.keys(((vendor.paths[operation.path] as Json)[operation.method] as Json).responses as Json).map(Number);
    const expected = documented.includes(res.status) && res.status < 300 ? res.status : operation.status;
    expect([res.status, res.status < 300 ? 'answered' : res.body]).toEqual([expected, 'answered']);
  });

  it.each(operations.map((operation) => [key(operation), operation] as const))(
    '%s: an invalid request is a 400 in the envelope',
    async (_name, operation) => {
      const auth = client();
      const values = Object.fromEntries(params(operation.path).map((name) => [name, crypto.randomUUID()]));
      // A body of the wrong type where the operation takes one; an unknown Sequence-Version otherwise.
      const res = operation.hasBody
        ? await call(auth, operation.method, fill(operation.path, values), '"not an object"', { 'Content-Type': 'application/json' })
        : await call(auth, operation.method, fill(operation.path, values), undefined, { 'Sequence-Version': '1999-01-01' });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
      if (operation.hasBody) expect(res.body.error.errors).toContainEqual(expect.objectContaining({ path: '/body' }));
    },
  );

  it.each(operations.map((operation) => [key(operation), operation] as const))('%s: no credentials is a 401', async (_name, operation) => {
    const values = Object.fromEntries(params(operation.path).map((name) => [name, crypto.randomUUID()]));
    const res = await call(undefined, operation.method, fill(operation.path, values));
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual(expect.objectContaining({ type: 'Unauthorised' }));
  });
});

/** The fields two answers of one record share must agree (each operation answers its own shape of it). */
function expectSameRecord(read: Json, created: Json) {
  const shared = Object.keys(created).filter((k) => k in read && k !== 'updatedAt');
  expect(shared).toContain('id');
  expect(Object.fromEntries(shared.map((k) => [k, read[k]]))).toEqual(Object.fromEntries(shared.map((k) => [k, created[k]])));
}

describe('every collection of the published document keeps state', () => {
  const generic = collections.filter(
    (c) =>
      c.create && !['/customers', '/customer-aliases', '/payments/settings/customers', '/customers/{customer}/contacts'].includes(c.name),
  );

  it('finds the collections the document describes', () => {
    expect(generic.map((c) => c.name)).toEqual(
      expect.arrayContaining(['/tax-rates', '/products', '/prices', '/invoices', '/credit-notes', '/billing-schedules', '/usage-events']),
    );
  });

  it.each(generic.map((c) => [c.name, c] as const))('%s: create, read back, list, update, remove', async (_name, collection) => {
    const auth = client();
    const values = await item(auth, collection);
    const id = values[collection.itemParam ?? 'id']!;
    const itemPath = collection.itemPath && fill(collection.itemPath, values);
    const listPath = fill(collection.name, values);
    const created = (await call(auth, 'get', listPath)).body.items?.find((i: Json) => i.id === id) ?? { id };

    if (collection.read) {
      const read = await call(auth, 'get', itemPath!);
      expect(read.status).toBe(200);
      expectSameRecord(read.body, created);
    }
    if (collection.list) {
      const list = await call(auth, 'get', listPath);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: Json) => i.id)).toEqual([id]);
      expect(list.body.pagination.totalResultSize).toBe(1);
    }
    if (collection.update) {
      const update = await call(auth, collection.update.method, itemPath!, await bodyFor(auth, collection.update));
      expect(update.status).toBe(200);
      expect(update.body.id).toBe(id);
    }
    if (collection.remove) {
      expect((await call(auth, 'delete', itemPath!)).status).toBe(200);
      if (collection.read) expect((await call(auth, 'get', itemPath!)).status).toBe(404);
      if (collection.list) expect((await call(auth, 'get', listPath)).body.items).toEqual([]);
    } else if (collection.archive) {
      const archived = await call(auth, 'post', `${itemPath}/archive`);
      expect([archived.status, archived.body.id]).toEqual([200, id]);
    }
  });
});

describe('every collection the API lists and reads but cannot create starts with its documented records', () => {
  const fixed = collections.filter((c) => !c.create && c.read);

  it('finds them in the document', () => {
    expect(fixed.map((c) => c.name)).toEqual(expect.arrayContaining(['/users', '/sequence-accounts', '/activity-logs', '/discounts']));
  });

  it.each(fixed.map((c) => [c.name, c] as const))(
    '%s: the documented record reads back, another id is a 404',
    async (_name, collection) => {
      const auth = client();
      const example = [...collection.read!.examples.values()][0] as Json;
      const itemPath = (id: string) => fill(collection.itemPath!, { [collection.itemParam!]: id });
      const read = await call(auth, 'get', itemPath(example.id));
      expect([read.status, read.body.id]).toEqual([200, example.id]);
      const unknown = await call(auth, 'get', itemPath(crypto.randomUUID()));
      expect([unknown.status, unknown.body.error?.type]).toEqual([404, 'NotFound']);
      expect((await call(auth, 'get', collection.name)).body.items.map((i: Json) => i.id)).toContain(example.id);
      if (collection.remove) {
        expect((await call(auth, 'delete', itemPath(example.id))).status).toBe(200);
        expect((await call(auth, 'get', itemPath(example.id))).status).toBe(404);
        // Another account still has its own.
        expect((await call(client(), 'get', itemPath(example.id))).status).toBe(200);
      }
    },
  );
});
