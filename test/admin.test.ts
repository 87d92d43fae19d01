// The admin API under /__admin: reset, seed, the request journal, fault rules and the admin token.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MESSAGES } from '../src/http/errors.js';
import { basic, expectCustomer, expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const PARENT_ID = '50af5191-05a3-42a5-802a-6b59091157af';

describe('POST /__admin/reset', () => {
  it('with credentials empties only that partition, back to the fixtures by default', async () => {
    const { app } = makeApp();
    const [a, b] = [freshClient(), freshClient()];
    const made = await Promise.all(
      [a, b].map(async (auth) => (await request(app).post('/customers').set('Authorization', auth).send(minimalRequest())).body.id),
    );
    const res = await request(app).post('/__admin/reset').set('Authorization', a).send({});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reset: expect.stringMatching(/^client-/), to: 'fixtures' });
    expectError(await request(app).get(`/customers/${made[0]}`).set('Authorization', a), 404);
    expectCustomer(await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', a), 200);
    expectCustomer(await request(app).get(`/customers/${made[1]}`).set('Authorization', b), 200);
  });

  it('without credentials resets nothing unless it says all: a 400 naming /body/all', async () => {
    const { app } = makeApp();
    const a = freshClient();
    const made = await request(app).post('/customers').set('Authorization', a).send(minimalRequest()).expect(201);
    for (const body of [{}, { to: 'empty' }, { to: 'empty', all: false }])
      expect(expectError(await request(app).post('/__admin/reset').send(body), 400, '/body/all').message).toBe(MESSAGES.resetAllExplicit);
    expect((await request(app).post('/__admin/reset')).status).toBe(400);
    expect((await request(app).get(`/customers/${made.body.id}`).set('Authorization', a)).status).toBe(200);
    // With credentials, `all` is refused too: a call acts on its own partition or, by name, on all.
    expectError(await request(app).post('/__admin/reset').set('Authorization', a).send({ all: true }), 400, '/body/all');
  });

  it('without credentials and with all: true resets every partition; to=empty leaves no fixtures', async () => {
    const { app } = makeApp();
    const [a, b] = [freshClient(), freshClient()];
    for (const auth of [a, b]) await request(app).post('/customers').set('Authorization', auth).send(minimalRequest()).expect(201);
    const res = await request(app).post('/__admin/reset').send({ to: 'empty', all: true });
    expect(res.body).toEqual({ reset: 'all', to: 'empty' });
    for (const auth of [a, b]) {
      const list = await request(app).get('/customers').set('Authorization', auth);
      expect(list.body).toEqual({ items: [], pagination: { totalResultSize: 0 } });
    }
  });

  it('validates its body against spec/mock.yaml', async () => {
    const { app } = makeApp();
    expectError(await request(app).post('/__admin/reset').send({ to: 'yesterday' }), 400, '/body/to');
  });
});

describe('POST /__admin/seed', () => {
  const seed = (app: Parameters<typeof request>[0], auth: string, body: object) =>
    request(app).post('/__admin/seed').set('Authorization', auth).send(body);

  it("adds realistic, spec-valid customers to the caller's partition, readable through the API", async () => {
    const { app } = makeApp({ fixtures: false });
    const auth = freshClient();
    const res = await seed(app, auth, { count: 25, seed: 7, withChildren: true });
    expect(res.status).toBe(201);
    expect(res.body.items).toHaveLength(25);
    const list = await request(app).get('/customers').set('Authorization', auth).query({ limit: 100 });
    expect(list.body.pagination.totalResultSize).toBe(25);
    const children = res.body.items.filter((c: any) => c.organizations.some((o: any) => o.owner.id !== c.id));
    expect(children.length).toBeGreaterThan(0);
    for (const customer of res.body.items) {
      expect(customer.legalName).toEqual(expect.any(String));
      expect(customer.contacts[0].billingPreference).toBe('PRIMARY');
      expectCustomer(await request(app).get(`/customers/${customer.id}`).set('Authorization', auth), 200);
    }
    expect((await request(app).get('/customers').set('Authorization', freshClient())).body.items).toEqual([]);
  });

  it('is deterministic: two fresh servers, same seed, byte-for-byte the same output', async () => {
    const first = await seed(makeApp().app, basic('one'), { count: 30, seed: 42, withChildren: true });
    const second = await seed(makeApp().app, basic('two'), { count: 30, seed: 42, withChildren: true });
    expect(first.text).toBe(second.text);
    const other = await seed(makeApp().app, basic('one'), { count: 30, seed: 43, withChildren: true });
    expect(other.text).not.toBe(first.text);
  });

  it('needs credentials to know which partition to fill', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/__admin/seed').send({ count: 1 });
    expect(expectError(res, 401).message).toBe(MESSAGES.seedNeedsPartition);
  });

  it.each([
    [{ count: 0 }, '/body/count'],
    [{ count: 10001 }, '/body/count'],
    [{ colour: 'red' }, '/body/colour'],
  ])('refuses %p', async (body, path) => {
    const { app } = makeApp();
    expectError(await seed(app, freshClient(), body), 400, path);
  });
});

describe('/__admin/requests', () => {
  it('journals method, path, partition, status, time and body, newest first, not admin calls', async () => {
    const { app } = makeApp();
    const auth = basic('journal-client');
    const before = Date.now();
    await request(app)
      .post('/api/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ legalName: 'Journalled' }));
    await request(app).get('/customers/nope').set('Authorization', auth);
    await request(app).get('/__admin/health');
    const res = await request(app).get('/__admin/requests');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    const [get, post] = res.body.items;
    expect(get).toMatchObject({ method: 'GET', path: '/customers/nope', partition: 'journal-client', status: 404 });
    expect(post).toMatchObject({
      method: 'POST',
      path: '/api/customers',
      partition: 'journal-client',
      status: 201,
      body: minimalRequest({ legalName: 'Journalled' }),
    });
    expect(post.id).toBeLessThan(get.id);
    expect(typeof post.ms).toBe('number');
    // When each arrived, in ISO 8601, the id and time first as the admin API has always shown them.
    expect(Object.keys(post).slice(0, 2)).toEqual(['id', 'time']);
    expect(post.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(post.time)).toBeGreaterThanOrEqual(before - 50);
    expect(Date.parse(post.time)).toBeLessThanOrEqual(Date.parse(get.time));
    expect(Date.parse(get.time)).toBeLessThanOrEqual(Date.now() + 50);
    expect(res.body).toMatchObject({ size: 2, capacity: 1000 });
  });

  it('journals a request without valid credentials with no partition at all', async () => {
    const { app } = makeApp();
    expect((await request(app).get('/customers')).status).toBe(401);
    const [entry] = (await request(app).get('/__admin/requests')).body.items;
    expect(entry).toMatchObject({ method: 'GET', path: '/customers', status: 401 });
    expect(Object.keys(entry)).not.toContain('partition');
  });

  it('filters by path, method, status and partition; credentials scope it to the caller', async () => {
    const { app } = makeApp();
    const [a, b] = [basic('filter-a'), basic('filter-b')];
    await request(app).post('/customers').set('Authorization', a).send(minimalRequest());
    await request(app).post('/customers').set('Authorization', b).send({});
    await request(app).get('/customers').set('Authorization', a);
    const q = async (query: object, auth?: string) => {
      const req = request(app).get('/__admin/requests').query(query);
      return (await (auth ? req.set('Authorization', auth) : req)).body.items.map((e: any) => `${e.method} ${e.partition} ${e.status}`);
    };
    expect(await q({ status: 400 })).toEqual(['POST filter-b 400']);
    expect(await q({ method: 'get' })).toEqual(['GET filter-a 200']);
    expect(await q({ partition: 'filter-a' })).toEqual(['GET filter-a 200', 'POST filter-a 201']);
    expect(await q({ path: '/customers', partition: 'filter-b' })).toEqual(['POST filter-b 400']);
    expect(await q({}, b)).toEqual(['POST filter-b 400']);
    expect(await q({ limit: 1 })).toEqual(['GET filter-a 200']);
  });

  it('is bounded: a ring buffer keeps the newest entries only', async () => {
    const { app } = makeApp({ journalSize: 5 });
    const auth = freshClient();
    for (let i = 0; i < 12; i += 1) await request(app).get(`/customers/n${i}`).set('Authorization', auth);
    const res = await request(app).get('/__admin/requests');
    expect(res.body.items.map((e: any) => e.path)).toEqual([
      '/customers/n11',
      '/customers/n10',
      '/customers/n9',
      '/customers/n8',
      '/customers/n7',
    ]);
    expect(res.body).toMatchObject({ size: 5, capacity: 5 });
  });

  it("DELETE clears it (only the caller's entries when it sends credentials)", async () => {
    const { app } = makeApp();
    const [a, b] = [basic('clear-a'), basic('clear-b')];
    await request(app).get('/customers/x').set('Authorization', a);
    await request(app).get('/customers/y').set('Authorization', b);
    expect((await request(app).delete('/__admin/requests').set('Authorization', a)).status).toBe(204);
    expect((await request(app).get('/__admin/requests')).body.items.map((e: any) => e.partition)).toEqual(['clear-b']);
    await request(app).delete('/__admin/requests').expect(204);
    expect((await request(app).get('/__admin/requests')).body.items).toEqual([]);
  });
});

describe('/__admin/faults', () => {
  it('"the next 2 POST /customers get 503, then succeed"', async () => {
    const { app } = makeApp();
    const auth = freshClient();
    const rule = await request(app)
      .post('/__admin/faults')
      .send({ match: { method: 'POST', path: '/customers' }, respond: { code: 503 }, times: 2 });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ id: expect.any(String), times: 2, matched: 0, probability: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await request(app).post('/api/customers').set('Authorization', auth).send(minimalRequest())).status);
    expect(statuses).toEqual([503, 503, 201]);
    // The rule is used up and gone; GETs were never matched.
    expect((await request(app).get('/__admin/faults')).body.items).toEqual([]);
    const list = await request(app).get('/customers').set('Authorization', auth);
    expect(list.body.pagination.totalResultSize).toBe(3); // 2 fixtures + the one that got through
  });

  it('answers with the envelope, naming the rule', async () => {
    const { app } = makeApp();
    const rule = (
      await request(app)
        .post('/__admin/faults')
        .send({ respond: { code: 429 } })
    ).body;
    const res = await request(app).get('/customers').set('Authorization', freshClient());
    expect(expectError(res, 429).message).toContain(`fault rule ${rule.id}`);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('"5% of requests get 500", deterministic under a seed', async () => {
    const run = async () => {
      const { app } = makeApp();
      await request(app)
        .post('/__admin/faults')
        .send({ respond: { code: 500 }, probability: 0.05, seed: 99 });
      const auth = freshClient();
      const statuses: number[] = [];
      for (let i = 0; i < 400; i += 1) statuses.push((await request(app).get('/customers/x').set('Authorization', auth)).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(40);
    expect(first.filter((s) => s !== 500).every((s) => s === 404)).toBe(true);
    expect(await run()).toEqual(first);
  }, 30_000); // 800 requests in sequence: slow on a busy 2-core CI machine, not a timing check

  it('matches by path pattern and partition; credentials scope the rule to the caller', async () => {
    const { app } = makeApp();
    const [a, b] = [basic('fault-a'), basic('fault-b')];
    await request(app)
      .post('/__admin/faults')
      .set('Authorization', a)
      .send({ match: { path: '/customers/*/contacts' }, respond: { code: 409 } });
    expect((await request(app).get(`/customers/${PARENT_ID}/contacts`).set('Authorization', a)).status).toBe(409);
    expect((await request(app).get(`/api/customers/${PARENT_ID}/contacts`).set('Authorization', a)).status).toBe(409);
    expect((await request(app).get(`/customers/${PARENT_ID}/contacts`).set('Authorization', b)).status).toBe(200);
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', a)).status).toBe(200);
    expect((await request(app).get('/__admin/faults').set('Authorization', b)).body.items).toEqual([]);
    expect((await request(app).get('/__admin/faults').set('Authorization', a)).body.items[0].match).toEqual({
      path: '/customers/*/contacts',
      partition: 'fault-a',
    });
  });

  it('delays with respond.delay', async () => {
    const { app } = makeApp();
    await request(app)
      .post('/__admin/faults')
      .send({ respond: { delay: 120 }, times: 1 });
    const started = Date.now();
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('loses to a Prefer header, which uses nothing up', async () => {
    const { app } = makeApp();
    await request(app)
      .post('/__admin/faults')
      .send({ respond: { code: 500 }, times: 1 });
    const auth = freshClient();
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth).set('Prefer', 'code=404')).status).toBe(404);
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth).set('Prefer', 'delay=0')).status).toBe(200);
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth)).status).toBe(500);
  });

  it('DELETE removes the rules', async () => {
    const { app } = makeApp();
    await request(app)
      .post('/__admin/faults')
      .send({ respond: { code: 500 } });
    expect((await request(app).delete('/__admin/faults')).status).toBe(204);
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient())).status).toBe(200);
  });

  it.each([
    [{ respond: { code: 418 } }, '/body/respond/code'],
    [{ respond: { code: 500 }, probability: 2 }, '/body/probability'],
    [{ respond: { code: 500 }, times: 0 }, '/body/times'],
    [{ match: { verb: 'GET' }, respond: {} }, '/body/match/verb'],
    [{}, '/body/respond'],
  ])('refuses %p', async (body, path) => {
    const { app } = makeApp();
    expectError(await request(app).post('/__admin/faults').send(body), 400, path);
  });
});

describe('ADMIN_TOKEN', () => {
  const { app } = makeApp({ adminToken: 's3cret' });

  it('is required on every admin call but health', async () => {
    expect((await request(app).get('/__admin/health')).status).toBe(200);
    for (const call of [
      request(app).get('/__admin/requests'),
      request(app).post('/__admin/reset').send({ all: true }),
      request(app).get('/__admin/faults'),
    ]) {
      expect(expectError(await call, 401, '/headers/x-admin-token').message).toBe(MESSAGES.adminToken);
    }
    expectError(await request(app).get('/__admin/requests').set('X-Admin-Token', 'wrong'), 401);
    expect((await request(app).get('/__admin/requests').set('X-Admin-Token', 's3cret')).status).toBe(200);
  });

  it('does not apply to the Customers API', async () => {
    expect((await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient())).status).toBe(200);
  });
});

describe('GET /__admin/collections', () => {
  it("lists every collection the document can list, titled, with its columns' headings and links, read from the document", async () => {
    const { app } = makeApp();
    const res = await request(app).get('/__admin/collections').set('Authorization', freshClient());
    expect(res.status).toBe(200);
    const byName = new Map((res.body.items as { name: string }[]).map((entry) => [entry.name, entry]));
    // "List all Invoices" titles /invoices; the invoice's own number names it; customerId links to /customers.
    expect(byName.get('/invoices')).toEqual({
      name: '/invoices',
      title: 'Invoices',
      single: false,
      itemPath: '/invoices/{id}',
      columns: expect.arrayContaining([
        { field: 'invoiceNumber', heading: 'Invoice number' },
        { field: 'customerId', heading: 'Customer', link: '/customers' },
        { field: 'status', heading: 'Status' },
        { field: 'grossTotal', heading: 'Gross total' },
      ]),
      children: [
        { title: 'Line items', path: '/invoices/{invoice}/line-items' },
        { title: 'Line item groups', path: '/invoices/{invoice}/line-item-groups' },
      ],
    });
    expect(byName.get('/billing-schedules')).toMatchObject({ title: 'Billing schedules' });
    // A settings record, one per account: its list path answers the record.
    expect(byName.get('/payments/settings')).toMatchObject({ single: true });
    // Every list of the document, none twice; no nested collection at the top.
    expect(byName.size).toBe(res.body.items.length);
    expect([...byName.keys()].every((name) => !name.includes('{'))).toBe(true);
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['/customers', '/credit-notes', '/tax-rates', '/usage-events', '/users']));
    // Titles in order, for a page to list as they come.
    const titles = res.body.items.map((entry: { title: string }) => entry.title);
    expect(titles).toEqual([...titles].sort((a: string, b: string) => a.localeCompare(b)));
  });
});
