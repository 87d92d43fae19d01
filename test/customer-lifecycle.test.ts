// PUT /customers/{id} and POST /customers/{id}/archive, with organizations kept consistent.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RULES } from '../src/resources/registry.js';
import { expectCustomer, expectError, freshClient, makeApp, minimalRequest, vendorExample } from './helpers.js';

const { app } = makeApp();
const create = async (auth: string, body: Record<string, unknown>) =>
  expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(body));
const put = (auth: string, id: string, body: Record<string, unknown>) =>
  request(app).put(`/api/customers/${id}`).set('Authorization', auth).send(body);
const read = async (auth: string, id: string) => expectCustomer(await request(app).get(`/customers/${id}`).set('Authorization', auth), 200);
const contact = (email: string, billingPreference = 'PRIMARY', name = 'Ann') => ({ name, email, billingPreference });

describe('PUT /customers/{id}', () => {
  it('takes the documented body (the vendor example) and answers the updated Customer, read back the same', async () => {
    const auth = freshClient();
    const original = await create(auth, minimalRequest());
    const res = await put(auth, original.id, vendorExample());
    const updated = expectCustomer(res, 200);
    expect(updated).toMatchObject({ id: original.id, createdAt: original.createdAt, legalName: 'John Doe', domain: 'example.com' });
    expect(await read(auth, original.id)).toEqual(updated);
  });

  it('replaces all contacts; one with a known email keeps its id and createdAt, and updatedAt moves only if it changed', async () => {
    const auth = freshClient();
    const original = await create(auth, minimalRequest({ contacts: [contact('a@x.io'), contact('b@x.io', 'NONE', 'Bob')] }));
    const [a, b] = original.contacts;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = expectCustomer(
      await put(auth, original.id, minimalRequest({ contacts: [contact('A@x.io'), contact('c@x.io', 'NONE', 'Cy')] })),
      200,
    );
    expect(updated.contacts).toHaveLength(2);
    expect(updated.contacts[0]).toMatchObject({ id: a.id, createdAt: a.createdAt, email: 'A@x.io' });
    expect(updated.contacts[0].updatedAt > a.updatedAt).toBe(true);
    expect(updated.contacts[1].id).not.toBe(b.id);
    expect(updated.contacts.map((c: { email: string }) => c.email)).not.toContain('b@x.io');
    const unchanged = expectCustomer(await put(auth, original.id, minimalRequest({ contacts: [contact('A@x.io')] })), 200);
    expect(unchanged.contacts[0]).toEqual(updated.contacts[0]);
  });

  it('applies the create rules, and stores nothing when one is broken', async () => {
    const auth = freshClient();
    const original = await create(auth, minimalRequest({ legalName: 'Before' }));
    const res = await put(auth, original.id, minimalRequest({ legalName: 'After', contacts: [contact('s@x.io', 'STANDARD')] }));
    expectError(res, 400, '/body/contacts');
    expect((await read(auth, original.id)).legalName).toBe('Before');
    expectError(await put(auth, original.id, { legalName: 'After' }), 400, '/body/address');
  });

  it('keeps the status when none is sent, and changes it when one is', async () => {
    const auth = freshClient();
    const draft = await create(auth, minimalRequest({ status: 'DRAFT' }));
    expect(expectCustomer(await put(auth, draft.id, minimalRequest()), 200).status).toBe('DRAFT');
    expect(expectCustomer(await put(auth, draft.id, minimalRequest({ status: 'ACTIVE' })), 200).status).toBe('ACTIVE');
  });

  it('moving a child to another parent updates both organizations; omitting parentId keeps it where it is', async () => {
    const auth = freshClient();
    const p1 = await create(auth, minimalRequest({ legalName: 'P1' }));
    const p2 = await create(auth, minimalRequest({ legalName: 'P2' }));
    const child = await create(auth, minimalRequest({ legalName: 'Kid', parentId: p1.id }));
    const sibling = await create(auth, minimalRequest({ legalName: 'Sib', parentId: p1.id }));

    const moved = expectCustomer(await put(auth, child.id, minimalRequest({ legalName: 'Kid', parentId: p2.id })), 200);
    expect(moved.organizations.map((o: any) => o.owner.id)).toEqual([p2.id]);
    expect((await read(auth, p1.id)).organizations[0].members).toEqual([{ id: sibling.id, name: 'Sib' }]);
    expect((await read(auth, p2.id)).organizations[0].members).toEqual([{ id: child.id, name: 'Kid' }]);

    // The Customer has no parentId to echo back, so a read-modify-write PUT omits it: that keeps the link.
    const kept = expectCustomer(await put(auth, child.id, minimalRequest({ legalName: 'Kid' })), 200);
    expect(kept.organizations.map((o: any) => o.owner.id)).toEqual([p2.id]);
    expect((await read(auth, p2.id)).organizations[0].members).toEqual([{ id: child.id, name: 'Kid' }]);
    // A renamed member is shown by its new name.
    await put(auth, sibling.id, minimalRequest({ legalName: 'Sibling', parentId: p1.id })).expect(200);
    expect((await read(auth, p1.id)).organizations[0].members).toEqual([{ id: sibling.id, name: 'Sibling' }]);
  });

  it('refuses to make a customer its own ancestor', async () => {
    const auth = freshClient();
    const top = await create(auth, minimalRequest());
    const middle = await create(auth, minimalRequest({ parentId: top.id }));
    const leaf = await create(auth, minimalRequest({ parentId: middle.id }));
    for (const [id, parentId] of [
      [top.id, top.id],
      [top.id, leaf.id],
      [middle.id, leaf.id],
    ]) {
      const res = await put(auth, id, minimalRequest({ parentId }));
      expect(expectError(res, 400, '/body/parentId').errors).toContainEqual({ path: '/body/parentId', message: RULES.parentCycle });
    }
    expect((await read(auth, top.id)).organizations[0].members).toEqual([{ id: middle.id, name: 'Acme Ltd' }]);
  });

  it('answers 404 for an unknown id or one of another partition', async () => {
    const auth = freshClient();
    const mine = await create(auth, minimalRequest());
    expectError(await put(auth, '00000000-0000-0000-0000-000000000000', minimalRequest()), 404, '/path/id');
    expectError(await put(freshClient(), mine.id, minimalRequest()), 404, '/path/id');
  });
});

describe('POST /customers/{id}/archive', () => {
  it('sets archivedAt, answers the archived Customer, and archiving again changes nothing', async () => {
    const auth = freshClient();
    const customer = await create(auth, minimalRequest());
    const archived = expectCustomer(await request(app).post(`/customers/${customer.id}/archive`).set('Authorization', auth), 200);
    expect(archived.archivedAt).toMatch(/Z$/);
    expect(await read(auth, customer.id)).toEqual(archived);
    const again = expectCustomer(await request(app).post(`/api/customers/${customer.id}/archive`).set('Authorization', auth), 200);
    expect(again.archivedAt).toBe(archived.archivedAt);
  });

  it('an archived customer cannot become a parent; its existing children stay in its organization', async () => {
    const auth = freshClient();
    const parent = await create(auth, minimalRequest({ legalName: 'Parent' }));
    const child = await create(auth, minimalRequest({ legalName: 'Child', parentId: parent.id }));
    await request(app).post(`/customers/${parent.id}/archive`).set('Authorization', auth).expect(200);
    const refused = await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ parentId: parent.id }));
    expect(expectError(refused, 400, '/body/parentId').errors).toContainEqual({ path: '/body/parentId', message: RULES.parentArchived });
    expect((await read(auth, child.id)).organizations[0].owner).toEqual({ id: parent.id, name: 'Parent' });
    // The child keeps its (now archived) parent when updated without changing it.
    expectCustomer(await put(auth, child.id, minimalRequest({ legalName: 'Child', parentId: parent.id })), 200);
  });

  it('answers 404 for an unknown id', async () => {
    expectError(await request(app).post('/customers/nope/archive').set('Authorization', freshClient()), 404, '/path/id');
  });
});
