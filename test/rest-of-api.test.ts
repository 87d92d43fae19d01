// The rest of Sequence's API beyond customers, as a client sees it: usage events and billing
// schedules (hand-written rules over the generic collections), a generic collection's state, the
// documented examples of operations that keep none (fresh ids, Prefer: example=), and the admin API
// (reset, journal) and the data file covering them. Strict mode throughout.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { start } from '../src/server.js';
import { basic, expectError, freshClient, makeApp, minimalRequest, spec } from './helpers.js';
import { useDataDir } from './data-dir.js';

const { app } = makeApp();
/** A tax rate the document accepts, for tests about something else. */
const TAX_RATE = { name: 'n', invoiceName: 'i', invoiceShortName: 's', description: 'd', amount: '0.1', country: 'GB', isPublished: false };
const api = (auth: string) => ({
  get: (path: string) => request(app).get(`/api${path}`).set('Authorization', auth),
  post: (path: string, body?: object) => request(app).post(`/api${path}`).set('Authorization', auth).send(body),
  put: (path: string, body?: object) => request(app).put(`/api${path}`).set('Authorization', auth).send(body),
  delete: (path: string) => request(app).delete(`/api${path}`).set('Authorization', auth),
});

async function customerWithAlias(auth: string, alias: string): Promise<string> {
  const res = await api(auth).post('/customers', minimalRequest({ customerAliases: [alias] }));
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('usage events', () => {
  it('are stored and read back per customer alias (or customer id), newest last, with what Sequence generates filled in', async () => {
    const auth = freshClient();
    const id = await customerWithAlias(auth, 'acct-1');
    await customerWithAlias(auth, 'acct-2');
    const first = await api(auth).post('/usage-events', {
      customerAlias: 'acct-1',
      eventType: 'message-sent',
      eventProperties: { length: 500 },
    });
    const second = await api(auth).post('/usage-events', { customerAlias: 'acct-2', eventType: 'message-sent', customerEventId: 'mine-1' });
    const byId = await api(auth).post('/usage-events', { customerAlias: id, eventType: 'login', eventTimestamp: '2026-01-01T00:00:00Z' });
    expect([first.status, second.status, byId.status]).toEqual([201, 201, 201]);
    expect(first.body).toMatchObject({ customerAlias: 'acct-1', eventType: 'message-sent', eventProperties: { length: 500 } });
    expect(first.body.customerEventId).toMatch(/^event-id-/);
    expect(Date.parse(first.body.eventTimestamp)).not.toBeNaN();
    expect(second.body).toMatchObject({ customerEventId: 'mine-1', eventProperties: {} });
    expect(new Set([first.body.id, second.body.id, byId.body.id]).size).toBe(3);

    const forAlias = await api(auth).get('/usage-events?customerAlias=acct-1');
    expect(forAlias.body.items.map((e: any) => e.id)).toEqual([first.body.id]);
    // Newest first by default, as the list's sortOrder documents ("Default: DESC"); ASC on request.
    const all = await api(auth).get('/usage-events');
    expect(all.body.items.map((e: any) => e.id)).toEqual([byId.body.id, second.body.id, first.body.id]);
    const ascending = await api(auth).get('/usage-events?sortOrder=ASC');
    expect(ascending.body.items.map((e: any) => e.id)).toEqual([first.body.id, second.body.id, byId.body.id]);
    expect(all.body.pagination.totalResultSize).toBe(3);
    expect((await api(auth).get('/usage-events?eventType=login')).body.items.map((e: any) => e.id)).toEqual([byId.body.id]);
    expect((await api(auth).get('/usage-events?eventId=mine-1')).body.items.map((e: any) => e.id)).toEqual([second.body.id]);
    expect((await api(auth).get('/usage-events?eventTimestampBefore=2026-06-01T00:00:00Z')).body.items.map((e: any) => e.id)).toEqual([
      byId.body.id,
    ]);
    // Another account sees none of them.
    expect((await api(freshClient()).get('/usage-events')).body.items).toEqual([]);
  });

  it('keeps an event whose alias no customer has yet, lists it as unmapped, and maps it once the alias exists', async () => {
    const auth = freshClient();
    const customerId = await customerWithAlias(auth, 'known');
    const mappedEvent = await api(auth).post('/usage-events', { customerAlias: 'known', eventType: 'x' });
    const unmapped = await api(auth).post('/usage-events', { customerAlias: 'later', eventType: 'x' });
    expect([mappedEvent.status, unmapped.status]).toEqual([201, 201]);
    // VOID, the alias Sequence's page gives for voiding an event, is accepted and is not unmapped.
    expect((await api(auth).post('/usage-events', { customerAlias: 'VOID', eventType: 'x' })).status).toBe(201);
    const onlyUnmapped = await api(auth).get('/usage-events?unmappedAliasesOnly=true');
    expect(onlyUnmapped.body.items.map((e: any) => e.id)).toEqual([unmapped.body.id]);
    expect((await api(auth).get('/usage-events')).body.items).toHaveLength(3);

    expect((await api(auth).post('/customer-aliases', { customerId, value: 'later' })).status).toBe(201);
    expect((await api(auth).get('/usage-events?unmappedAliasesOnly=true')).body.items).toEqual([]);
  });

  it("accepts the document's own example event", async () => {
    const auth = freshClient();
    const res = await api(auth).post(
      '/usage-events',
      (spec.paths['/usage-events'] as any).post.requestBody.content['application/json'].examples
        .CreateUsageEventEndpointCreateUsageEventRequestModel.value,
    );
    expect(res.status).toBe(201);
    expect((await api(auth).get('/usage-events?unmappedAliasesOnly=true')).body.items.map((e: any) => e.id)).toEqual([res.body.id]);
  });

  it("checks the event's fields against the document", async () => {
    const auth = freshClient();
    await customerWithAlias(auth, 'acct');
    expectError(await api(auth).post('/usage-events', { customerAlias: 'acct' }), 400, '/body/eventType');
    expectError(
      await api(auth).post('/usage-events', { customerAlias: 'acct', eventType: 'x', eventProperties: 'big' }),
      400,
      '/body/eventProperties',
    );
  });

  it('pages with cursors', async () => {
    const auth = freshClient();
    await customerWithAlias(auth, 'pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await api(auth).post('/usage-events', { customerAlias: 'pager', eventType: 'tick' })).body.id);
    const one = await api(auth).get('/usage-events?sortOrder=ASC&limit=2');
    const two = await api(auth).get(`/usage-events?sortOrder=ASC&limit=2&after=${one.body.pagination.after}`);
    const three = await api(auth).get(`/usage-events?sortOrder=ASC&limit=2&after=${two.body.pagination.after}`);
    expect([...one.body.items, ...two.body.items, ...three.body.items].map((e: any) => e.id)).toEqual(ids);
    expect(three.body.pagination.after).toBeUndefined();
    const back = await api(auth).get(`/usage-events?sortOrder=ASC&limit=2&before=${two.body.pagination.before}`);
    expect(back.body.items.map((e: any) => e.id)).toEqual(ids.slice(0, 2));
    expectError(await api(auth).get('/usage-events?after=bm90LWEtY3Vyc29y'), 400, '/query/after');
  });
});

describe('billing schedules', () => {
  const schedule = (customerId: string, extra: object = {}) => ({
    customerId,
    startDate: '2026-01-01',
    taxRates: [],
    autoIssueInvoices: false,
    isDraft: false,
    rollUpBilling: false,
    phases: [],
    ...extra,
  });

  it('are created for an existing customer, read back, and listed by customer', async () => {
    const auth = freshClient();
    const alice = (await api(auth).post('/customers', minimalRequest({ legalName: 'Alice' }))).body.id;
    const bob = (await api(auth).post('/customers', minimalRequest({ legalName: 'Bob' }))).body.id;
    const a = await api(auth).post('/billing-schedules', schedule(alice, { label: 'gold' }));
    const b = await api(auth).post('/billing-schedules', schedule(bob));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toMatchObject({ customerId: alice, startDate: '2026-01-01', status: 'ACTIVE', label: 'gold' });
    const read = await api(auth).get(`/billing-schedules/${a.body.id}`);
    expect(read.body).toMatchObject({ id: a.body.id, customerId: alice, status: 'ACTIVE' });
    expect((await api(auth).get(`/billing-schedules?customerId=${bob}`)).body.items.map((s: any) => s.id)).toEqual([b.body.id]);
    expect((await api(auth).get('/billing-schedules?label=gold')).body.items.map((s: any) => s.id)).toEqual([a.body.id]);
  });

  it('refuse a customer the account does not have, naming the field', async () => {
    const auth = freshClient();
    const res = await api(auth).post('/billing-schedules', schedule('6e5e4bd1-0000-4000-8000-000000000000'));
    expect(expectError(res, 400, '/body/customerId').message).toContain('no customer with id 6e5e4bd1-0000-4000-8000-000000000000');
    expect((await api(auth).get('/billing-schedules')).body.items).toEqual([]);
  });

  it('start as DRAFT when asked and become ACTIVE when activated', async () => {
    const auth = freshClient();
    const customer = (await api(auth).post('/customers', minimalRequest())).body.id;
    const draft = await api(auth).post('/billing-schedules', schedule(customer, { isDraft: true }));
    expect(draft.body.status).toBe('DRAFT');
    expect((await api(auth).get('/billing-schedules?billingScheduleStatus=DRAFT')).body.items).toHaveLength(1);
    const activated = await api(auth).put(`/billing-schedules/${draft.body.id}/activate`);
    expect([activated.status, activated.body.status]).toEqual([200, 'ACTIVE']);
    expect((await api(auth).get(`/billing-schedules/${draft.body.id}`)).body.status).toBe('ACTIVE');
    expectError(await api(auth).put(`/billing-schedules/${crypto.randomUUID()}/activate`), 404, '/path/billingScheduleId');
  });

  it('hide archived schedules from the list unless includeArchivedSchedules=true', async () => {
    const auth = freshClient();
    const customer = (await api(auth).post('/customers', minimalRequest())).body.id;
    const kept = (await api(auth).post('/billing-schedules', schedule(customer))).body.id;
    const archived = (await api(auth).post('/billing-schedules', schedule(customer))).body.id;
    const res = await api(auth).post(`/billing-schedules/${archived}/archive`);
    expect([res.status, typeof res.body.archivedAt]).toEqual([200, 'string']);
    expect((await api(auth).get('/billing-schedules')).body.items.map((s: any) => s.id)).toEqual([kept]);
    expect((await api(auth).get('/billing-schedules?includeArchivedSchedules=true')).body.items.map((s: any) => s.id)).toEqual([
      archived,
      kept,
    ]); // newest first
  });
});

describe('a generic collection (tax rates, from the document alone)', () => {
  const taxRate = {
    name: 'UK VAT',
    invoiceName: 'VAT',
    invoiceShortName: 'VAT',
    description: 'd',
    amount: '0.2',
    country: 'GB',
    isPublished: false,
  };

  it('keeps what was sent over the documented shape, per account, until it is removed', async () => {
    const auth = freshClient();
    const created = await api(auth).post('/tax-rates', taxRate);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'UK VAT', amount: '0.2', country: 'GB' });
    expect(created.body.id).not.toBe('d58bf2e3-7a5d-4900-8457-2521c6880f7d'); // not the example's
    const other = await api(auth).post('/tax-rates', { ...taxRate, name: 'FR TVA', country: 'FR' });
    expect(other.body.id).not.toBe(created.body.id);
    expect((await api(auth).get(`/tax-rates/${created.body.id}`)).body).toMatchObject({ id: created.body.id, name: 'UK VAT' });
    expect((await api(freshClient()).get(`/tax-rates/${created.body.id}`)).status).toBe(404);
    expect((await api(auth).get('/tax-rates?country=FR')).body.items.map((t: any) => t.id)).toEqual([other.body.id]);
    const updated = await api(auth).put(`/tax-rates/${created.body.id}`, {
      ...taxRate,
      id: created.body.id,
      versionId: created.body.versionId,
      version: 1,
      name: 'UK VAT 20%',
    });
    expect([updated.status, updated.body.name, updated.body.id]).toEqual([200, 'UK VAT 20%', created.body.id]);
    expect((await api(auth).get(`/tax-rates/${created.body.id}`)).body.name).toBe('UK VAT 20%');
    expect((await api(auth).delete(`/tax-rates/${created.body.id}`)).status).toBe(200);
    expectError(await api(auth).get(`/tax-rates/${created.body.id}`), 404, '/path/id');
  });

  it('answers 404 for an item under a parent that does not exist (line items of an unknown invoice)', async () => {
    const res = await api(freshClient()).get(`/invoices/${crypto.randomUUID()}/line-items`);
    expectError(res, 404, '/path/invoice');
  });
});

describe('operations that keep no state answer their documented example', () => {
  it('with a fresh id on every create, so two never collide', async () => {
    const auth = freshClient();
    const first = await api(auth).post('/invoices/merge', { invoiceIds: [crypto.randomUUID(), crypto.randomUUID()] });
    const second = await api(auth).post('/invoices/merge', { invoiceIds: [crypto.randomUUID(), crypto.randomUUID()] });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it('picks a named example with Prefer: example=<name>, and names the choices for an unknown one', async () => {
    const auth = freshClient();
    const volume = await api(auth).get('/billing-products').set('Prefer', 'code=404');
    expect(volume.status).toBe(404);
    const price = await request(app).post('/api/prices').set('Authorization', auth).set('Prefer', 'example=VolumePriceResponse').send({});
    expect(price.status).toBe(400); // the body is still validated first
    const user = await api(auth).get('/users');
    expect(user.status).toBe(200);
    const listPrice = await request(app).get(`/api/list-prices`).set('Authorization', auth).set('Prefer', 'example=NoSuchExample');
    expect(expectError(listPrice, 400, '/headers/prefer').message).toMatch(/example=NoSuchExample is not an example of \w+; it has \w+/);
    const named = await request(app)
      .get(`/api/list-prices/${crypto.randomUUID()}`)
      .set('Authorization', auth)
      .set('Prefer', 'example=NoSuchExample');
    expect(expectError(named, 400, '/headers/prefer').message).toContain('VolumeListPriceResponse');
  });

  it('answers an unknown id of what the API cannot create with a 404, never an invented record', async () => {
    const auth = freshClient();
    for (const path of ['/discounts', '/users', '/sequence-accounts', '/activity-logs']) {
      const res = await api(auth).get(`${path}/${crypto.randomUUID()}`);
      expect([path, res.status, res.body.error?.type]).toEqual([path, 404, 'NotFound']);
    }
  });
});

describe("for-<thing> reads answer the partition's own records", () => {
  it("lists the tax registrations of a customer, and finds an invoice's payment settings or answers 404", async () => {
    const auth = freshClient();
    const alice = (await api(auth).post('/customers', minimalRequest({ legalName: 'Alice' }))).body.id;
    const bob = (await api(auth).post('/customers', minimalRequest({ legalName: 'Bob' }))).body.id;
    const registration = (customerId: string, taxIdentifier: string) =>
      api(auth).post('/tax-registrations', { taxIdentifier, customerId, merchantId: 'merchant-1', country: 'GB' });
    const a = await registration(alice, 'GB1');
    await registration(bob, 'GB2');
    const forAlice = await api(auth).get(`/tax-registrations/for-customer/${alice}`);
    expect(forAlice.status).toBe(200);
    expect(forAlice.body.items.map((r: any) => [r.id, r.taxIdentifier])).toEqual([[a.body.id, 'GB1']]);
    expect(forAlice.body.pagination.totalResultSize).toBe(1);
    expect((await api(auth).get('/tax-registrations/for-merchant/merchant-1')).body.items).toHaveLength(2);
    expect((await api(auth).get(`/tax-registrations/for-customer/${crypto.randomUUID()}`)).body.items).toEqual([]);

    const invoiceId = (await api(auth).post('/invoices', { currency: 'GBP', customerId: alice })).body.id;
    expectError(await api(auth).get(`/payments/settings/invoices/for-invoice/${invoiceId}`), 404, '/path/id');
    const settings = await api(auth).post('/payments/settings/invoices', { invoiceId, customerId: alice, paymentProvider: 'STRIPE' });
    expect(settings.status).toBe(201);
    const found = await api(auth).get(`/payments/settings/invoices/for-invoice/${invoiceId}`);
    expect([found.status, found.body.id, found.body.invoiceId]).toEqual([200, settings.body.id, invoiceId]);
  });
});

describe('what the API cannot create starts from the documented records', () => {
  it("lists quotes by customer from the document's own quote, archived ones only when asked", async () => {
    const auth = freshClient();
    const content = (spec.paths['/quotes'] as any).get.responses['200'].content['application/json'];
    const example = (content.example ?? Object.values<any>(content.examples)[0].value).items[0];
    expect(example.archivedAt).toEqual(expect.any(String));
    const list = (query: string) => api(auth).get(`/quotes?${query}`);
    expect((await list(`customerId=${example.customerId}`)).body.items).toEqual([]);
    expect((await list(`customerId=${example.customerId}&includeArchived=true`)).body.items.map((q: any) => q.id)).toEqual([example.id]);
    expect((await list(`customerId=${crypto.randomUUID()}&includeArchived=true`)).body.items).toEqual([]);
    // What is about one quote (its analytics, its PDF) needs that quote.
    expect((await api(auth).get(`/quotes/${example.id}/analytics`)).status).toBe(200);
    expectError(await api(auth).get(`/quotes/${crypto.randomUUID()}/analytics`), 404, '/path/id');
    expectError(await api(auth).get(`/invoices/${crypto.randomUUID()}/download`), 404, '/path/id');
  });
});

describe("the account's settings are one record each, and writes stick", () => {
  it('reads the documented settings, keeps a change, refuses another id, and keeps accounts apart', async () => {
    const auth = freshClient();
    for (const [path, change] of [
      [
        '/payments/settings',
        { failureNotifications: { merchantNotifications: 'DO_NOT_SEND_NOTIFICATIONS', customerNotifications: 'SEND_NOTIFICATIONS' } },
      ],
      ['/invoices/render-settings', { paymentLinkDisplay: 'HIDE_PAYMENT_LINK', currencyConversionDisplay: 'SHOW_CURRENCY_CONVERSION' }],
      [
        '/stripe/collections/settings',
        { enableAutomaticPayments: false, autoEnableStripePayments: true, retryAnchor: 'DUE_DATE', retryOffsetDays: [0, 7] },
      ],
    ] as const) {
      const before = await api(auth).get(path);
      expect([path, before.status, typeof before.body.id]).toEqual([path, 200, 'string']);
      const put = await api(auth).put(`${path}/${before.body.id}`, change);
      expect([path, put.status]).toEqual([path, 200]);
      // The fields the read answers (the Stripe settings' read has no retryAnchor) are the ones sent.
      const shown = Object.fromEntries(Object.entries(change).filter(([field]) => field in before.body));
      expect(Object.keys(shown).length).toBeGreaterThan(0);
      expect((await api(auth).get(path)).body).toEqual({ ...before.body, ...shown });
      expect((await api(freshClient()).get(path)).body).toEqual(before.body);
      expect([path, (await api(auth).put(`${path}/${crypto.randomUUID()}`, change)).status]).toEqual([path, 404]);
    }
  });
});

describe('mock controls cover the rest of the API', () => {
  it('Prefer: code= and a fault rule answer an invoice create as asked, storing nothing', async () => {
    const { app: own } = makeApp();
    const auth = basic('controls-rest');
    const forced = await request(own).get('/api/invoices').set('Authorization', auth).set('Prefer', 'code=503');
    expect([expectError(forced, 503).type, forced.headers['retry-after']]).toEqual(['ServiceUnavailable', '1']);
    const rule = await request(own)
      .post('/__admin/faults')
      .set('Authorization', auth)
      .send({ match: { method: 'POST', path: '/tax-rates' }, respond: { code: 429 }, times: 1 });
    expect(rule.status).toBe(201);
    const body = TAX_RATE;
    expectError(await request(own).post('/api/tax-rates').set('Authorization', auth).send(body), 429);
    expect((await request(own).get('/api/tax-rates').set('Authorization', auth)).body.items).toEqual([]);
    expect((await request(own).post('/api/tax-rates').set('Authorization', auth).send(body)).status).toBe(201);
  });
});

describe('the admin API and the journal cover the rest of the API', () => {
  it('a reset empties the collections; the journal records their calls', async () => {
    const { app: own, admin } = makeApp();
    const auth = basic('admin-rest');
    const created = await request(own).post('/api/tax-rates').set('Authorization', auth).send(TAX_RATE);
    expect(created.status).toBe(201);
    expect(admin.requests({ path: '/tax-rates' })).toContainEqual(
      expect.objectContaining({ method: 'POST', status: 201, partition: 'admin-rest' }),
    );
    expect((await request(own).post('/__admin/reset').set('Authorization', auth).send({ to: 'empty' })).status).toBe(200);
    expect((await request(own).get(`/api/tax-rates/${created.body.id}`).set('Authorization', auth)).status).toBe(404);
  });
});

describe('seeding with activity', () => {
  it('gives every seeded customer an alias, an ACTIVE billing schedule and usage events, the same for the same seed', async () => {
    const seeded = async () => {
      const { app: own } = makeApp({ fixtures: false });
      const auth = basic('seeded-activity');
      const res = await request(own).post('/__admin/seed').set('Authorization', auth).send({ count: 3, seed: 9, withActivity: true });
      expect(res.status).toBe(201);
      const schedules = await request(own).get('/api/billing-schedules?sortOrder=ASC').set('Authorization', auth);
      const events = await request(own).get('/api/usage-events?limit=100').set('Authorization', auth);
      return { customers: res.body.items, schedules: schedules.body.items, events: events.body.items };
    };
    const first = await seeded();
    expect(first.customers).toHaveLength(3);
    expect(first.schedules.map((s: any) => [s.customerId, s.status])).toEqual(first.customers.map((c: any) => [c.id, 'ACTIVE']));
    const aliases = new Set(first.events.map((e: any) => e.customerAlias));
    expect(aliases).toEqual(new Set(['seed-9-1', 'seed-9-2', 'seed-9-3']));
    expect(first.events.every((e: any) => e.sequenceAccountId === first.events[0].sequenceAccountId)).toBe(true);
    expect(await seeded()).toEqual(first);
  });
});

describe('the data file keeps the rest of the API across a restart', () => {
  let file = '';
  useDataDir((_dir, f) => (file = f));

  it('brings back a tax rate, a usage event and its deletion', async () => {
    const auth = `Basic ${Buffer.from('durable-rest:s').toString('base64')}`;
    const call = (url: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}/api${path}`, {
        method,
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    let server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    const kept = await (await call(server.url, 'POST', '/tax-rates', { ...TAX_RATE, name: 'kept' })).json();
    const gone = await (await call(server.url, 'POST', '/tax-rates', { ...TAX_RATE, name: 'gone' })).json();
    expect((await call(server.url, 'DELETE', `/tax-rates/${gone.id}`)).status).toBe(200);
    expect((await call(server.url, 'POST', '/usage-events', { customerAlias: 'VOID', eventType: 'kept' })).status).toBe(201);
    await server.close();
    server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    try {
      expect((await (await call(server.url, 'GET', `/tax-rates/${kept.id}`)).json()).name).toBe('kept');
      expect((await call(server.url, 'GET', `/tax-rates/${gone.id}`)).status).toBe(404);
      expect((await (await call(server.url, 'GET', '/usage-events')).json()).items.map((e: any) => e.eventType)).toEqual(['kept']);
    } finally {
      await server.close();
    }
  }, 30_000);
});
