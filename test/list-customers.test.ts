// GET /customers: filters, archived, sort, limits, and a cursor walk that stays stable under writes.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RULES } from '../src/resources/registry.js';
import { expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp({ fixtures: false });

async function create(auth: string, body: Record<string, unknown>) {
  const res = await request(app).post('/customers').set('Authorization', auth).send(body);
  expect(res.status).toBe(201);
  return res.body as { id: string; createdAt: string };
}
async function list(auth: string, query: Record<string, string | number | boolean> = {}) {
  const res = await request(app).get('/api/customers').set('Authorization', auth).query(query);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res.body as {
    items: { id: string; legalName: string; archivedAt?: string }[];
    pagination: { after?: string; before?: string; totalResultSize: number };
  };
}

describe('GET /customers', () => {
  it('lists the partition newest first by default, with totalResultSize', async () => {
    const auth = freshClient();
    const a = await create(auth, minimalRequest({ legalName: 'A' }));
    const b = await create(auth, minimalRequest({ legalName: 'B' }));
    const page = await list(auth);
    expect(page.items.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(page.pagination).toEqual({ totalResultSize: 2 });
    const asc = await list(auth, { sortOrder: 'ASC', sortBy: 'createdAt' });
    expect(asc.items.map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it("lists only the caller's partition, fixtures included when on", async () => {
    const withFixtures = makeApp().app;
    const res = await request(withFixtures).get('/customers').set('Authorization', freshClient());
    expect(res.body.items.map((c: { legalName: string }) => c.legalName)).toEqual(['Fintech Payment Processing', 'FinTech Solutions Inc.']);
    expect((await list(freshClient())).items).toEqual([]);
  });

  it('filters by legalName and contact email, exactly and case-insensitively, and by alias', async () => {
    const auth = freshClient();
    const contact = { name: 'Ann', email: 'Ann@Acme.io', billingPreference: 'PRIMARY' };
    const acme = await create(auth, minimalRequest({ legalName: 'Acme Ltd', contacts: [contact], customerAliases: ['crm-1'] }));
    await create(auth, minimalRequest({ legalName: 'Acme Ltd Holdings' }));
    await create(auth, minimalRequest({ legalName: 'Other' }));
    expect((await list(auth, { legalName: 'acme ltd' })).items.map((c) => c.id)).toEqual([acme.id]);
    expect((await list(auth, { legalName: 'Acme' })).items).toEqual([]);
    expect((await list(auth, { email: 'ann@acme.io' })).items.map((c) => c.id)).toEqual([acme.id]);
    expect((await list(auth, { alias: 'crm-1' })).items.map((c) => c.id)).toEqual([acme.id]);
    expect((await list(auth, { alias: 'CRM-1' })).items).toEqual([]);
    const both = await list(auth, { legalName: 'Acme Ltd', email: 'nobody@acme.io' });
    expect(both).toEqual({ items: [], pagination: { totalResultSize: 0 } });
  });

  it('filters read for the first time after customers changed find them as they are now, and keep up after', async () => {
    // The filters' indexes are built on their first read (src/engine/records.ts): everything below
    // changes before any filter is read in this partition.
    const auth = freshClient();
    const send = (id: string, body: Record<string, unknown>) =>
      request(app).put(`/api/customers/${id}`).set('Authorization', auth).send(body).expect(200);
    const contact = (email: string) => ({ name: 'N', email, billingPreference: 'PRIMARY' });
    const a = await create(
      auth,
      minimalRequest({ legalName: 'Old', label: 'Gold', customProperties: { tier: '1' }, contacts: [contact('a@x.io')] }),
    );
    const b = await create(auth, minimalRequest({ legalName: 'Old', label: 'Gold', contacts: [contact('b@x.io')] }));
    const c = await create(auth, minimalRequest({ legalName: 'Other', contacts: [contact('c@x.io')] }));
    await send(
      a.id,
      minimalRequest({ legalName: 'New', label: 'Silver', customProperties: { region: 'EU' }, contacts: [contact('a2@x.io')] }),
    );
    await request(app).post(`/customers/${b.id}/archive`).set('Authorization', auth).expect(200);
    const ids = async (query: Record<string, string | boolean>) => (await list(auth, query)).items.map((x) => x.id);
    expect(await ids({ legalName: 'new' })).toEqual([a.id]);
    expect(await ids({ legalName: 'old' })).toEqual([]);
    expect(await ids({ legalName: 'old', includeArchived: true })).toEqual([b.id]);
    expect(await ids({ label: 'silver' })).toEqual([a.id]);
    expect(await ids({ label: 'gold', includeArchived: true })).toEqual([b.id]);
    expect(await ids({ email: 'a2@x.io' })).toEqual([a.id]);
    expect(await ids({ email: 'a@x.io' })).toEqual([]);
    expect((await list(auth)).pagination.totalResultSize).toBe(2);
    const keys = await request(app).get('/customer-custom-property-keys').set('Authorization', auth);
    expect(keys.body).toEqual({ items: ['region'] });
    // Once read, they follow every write.
    await send(
      c.id,
      minimalRequest({ legalName: 'New', label: 'Silver', customProperties: { tier: '2' }, contacts: [contact('a2@x.io')] }),
    );
    await request(app).post(`/customers/${a.id}/archive`).set('Authorization', auth).expect(200);
    expect(await ids({ legalName: 'new' })).toEqual([c.id]);
    expect(await ids({ legalName: 'new', includeArchived: true })).toEqual([c.id, a.id]);
    expect(await ids({ label: 'silver' })).toEqual([c.id]);
    expect(await ids({ email: 'a2@x.io', includeArchived: true })).toEqual([c.id, a.id]);
    expect(await ids({ email: 'c@x.io' })).toEqual([]);
    expect((await list(auth)).pagination.totalResultSize).toBe(1);
    const after = await request(app).get('/customer-custom-property-keys').set('Authorization', auth);
    expect(after.body).toEqual({ items: ['region', 'tier'] });
  });

  it('hides archived customers unless includeArchived=true', async () => {
    const auth = freshClient();
    const kept = await create(auth, minimalRequest({ legalName: 'Kept' }));
    const gone = await create(auth, minimalRequest({ legalName: 'Gone' }));
    await request(app).post(`/customers/${gone.id}/archive`).set('Authorization', auth).expect(200);
    const visible = await list(auth);
    expect(visible.items.map((c) => c.id)).toEqual([kept.id]);
    expect(visible.pagination.totalResultSize).toBe(1);
    const all = await list(auth, { includeArchived: true });
    expect(all.items.map((c) => c.id)).toEqual([gone.id, kept.id]);
    expect(all.pagination.totalResultSize).toBe(2);
    expect((await list(auth, { legalName: 'Gone' })).pagination.totalResultSize).toBe(0);
    expect((await list(auth, { legalName: 'Gone', includeArchived: true })).pagination.totalResultSize).toBe(1);
  });

  it.each([
    [{ limit: 0 }, '/query/limit'],
    [{ limit: 101 }, '/query/limit'],
    [{ limit: 'ten' }, '/query/limit'],
    [{ includeArchived: 'maybe' }, '/query/includeArchived'],
    [{ sortOrder: 'UP' }, '/query/sortOrder'],
    [{ sortBy: 'legalName' }, '/query/sortBy'],
    [{ after: 'not-a-cursor!' }, '/query/after'],
    [{ after: Buffer.from('["x",1]').toString('base64url') }, '/query/after'],
    [{ before: 'bm9wZQ' }, '/query/before'],
  ])('answers %p with 400 naming %s', async (query, path) => {
    const res = await request(app).get('/customers').set('Authorization', freshClient()).query(query);
    expectError(res, 400, path);
  });

  it('refuses after and before together', async () => {
    const auth = freshClient();
    await create(auth, minimalRequest());
    await create(auth, minimalRequest());
    const { pagination } = await list(auth, { limit: 1 });
    const res = await request(app)
      .get('/customers')
      .set('Authorization', auth)
      .query({ after: pagination.after!, before: pagination.after! });
    expect(expectError(res, 400, '/query/before').errors).toContainEqual({ path: '/query/before', message: RULES.cursorBoth });
  });

  it('accepts limit 1 and 100, and defaults to 20', async () => {
    const auth = freshClient();
    for (let i = 0; i < 25; i += 1) await create(auth, minimalRequest({ legalName: `C${i}` }));
    expect((await list(auth, { limit: 1 })).items).toHaveLength(1);
    expect((await list(auth, { limit: 100 })).items).toHaveLength(25);
    expect((await list(auth)).items).toHaveLength(20);
  });
});

describe('a cursor walk over 250 customers with creates interleaved', () => {
  it.each(['DESC', 'ASC'] as const)('%s: forwards with after, then back with before: no duplicate, no gap', async (order) => {
    const auth = freshClient();
    const made: { id: string; createdAt: string }[] = [];
    for (let i = 0; i < 250; i += 1) made.push(await create(auth, minimalRequest({ legalName: `walk-${i}` })));
    // The documented order is creation time; two customers made in the same millisecond are
    // ordered by id, as the cursor is.
    made.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
    const original = made.map((c) => c.id);
    const expected = order === 'ASC' ? original : [...original].reverse();
    const isOriginal = (id: string) => original.includes(id);
    let created = 0;
    // Customers created during the walk must neither appear twice nor push others out of it.
    const createOne = () => create(auth, minimalRequest({ legalName: `during-${(created += 1)}` }));

    const forwards: string[] = [];
    let page = await list(auth, { sortOrder: order, limit: 37 });
    for (;;) {
      forwards.push(...page.items.map((c) => c.id));
      await createOne();
      if (!page.pagination.after) break;
      page = await list(auth, { sortOrder: order, limit: 37, after: page.pagination.after });
    }
    expect(new Set(forwards).size).toBe(forwards.length);
    expect(forwards.filter(isOriginal)).toEqual(expected);
    const lastPage = page.items.map((c) => c.id);

    const backwards: string[] = [];
    let cursor = page.pagination.before;
    expect(cursor).toBeDefined();
    while (cursor) {
      const previous = await list(auth, { sortOrder: order, limit: 37, before: cursor });
      expect(previous.items.length).toBeGreaterThan(0);
      backwards.unshift(...previous.items.map((c) => c.id));
      await createOne();
      cursor = previous.pagination.before;
    }
    expect(new Set([...backwards, ...lastPage]).size).toBe(backwards.length + lastPage.length);
    expect([...backwards, ...lastPage].filter(isOriginal)).toEqual(expected);
    // DESC puts new customers first, so the walk back meets them; ASC puts them last, after the walk.
    const newOnes = backwards.filter((id) => !isOriginal(id)).length;
    if (order === 'ASC') expect(newOnes).toBe(0);
    else expect(newOnes).toBeGreaterThan(0);
  });
});
