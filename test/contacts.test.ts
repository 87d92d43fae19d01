// Contacts under /customers/{customer}/contacts, and aliases.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RULES } from '../src/resources/registry.js';
import { expectCustomer, expectError, freshClient, makeApp, minimalRequest, spec } from './helpers.js';
import { Ajv } from 'ajv';

const { app } = makeApp();
const ajv = new Ajv({ strict: false });
ajv.addSchema({ components: spec.components }, 'spec');
const isContact = ajv.getSchema('spec#/components/schemas/Contact')!;

const contact = (email: string, billingPreference = 'PRIMARY', name = 'Ann') => ({ name, email, billingPreference });
async function customerWith(auth: string, contacts: unknown[]) {
  return expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(minimalRequest({ contacts })));
}
const contactsOf = async (auth: string, id: string, includeArchived?: boolean) =>
  request(app)
    .get(`/customers/${id}/contacts`)
    .set('Authorization', auth)
    .query(includeArchived === undefined ? {} : { includeArchived });

describe('contacts', () => {
  it("lists a customer's contacts", async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('a@x.io')]);
    const res = await contactsOf(auth, customer.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: customer.contacts });
  });

  it('creates a contact (201), shown on the customer and in the list', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('a@x.io')]);
    const res = await request(app)
      .post(`/api/customers/${customer.id}/contacts`)
      .set('Authorization', auth)
      .send(contact('b@x.io', 'STANDARD', 'Bob'));
    expect(res.status).toBe(201);
    expect(isContact(res.body)).toBe(true);
    expect(res.body).toMatchObject({ name: 'Bob', email: 'b@x.io', billingPreference: 'STANDARD' });
    const read = await request(app).get(`/customers/${customer.id}`).set('Authorization', auth);
    expect(read.body.contacts.map((c: { id: string }) => c.id)).toEqual([customer.contacts[0].id, res.body.id]);
  });

  it('refuses a STANDARD contact when there is no PRIMARY one', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, []);
    const res = await request(app)
      .post(`/customers/${customer.id}/contacts`)
      .set('Authorization', auth)
      .send(contact('s@x.io', 'STANDARD'));
    expect(expectError(res, 400, '/body/billingPreference').errors).toContainEqual({
      path: '/body/billingPreference',
      message: RULES.primaryContactKept,
    });
    expect((await contactsOf(auth, customer.id)).body.items).toEqual([]);
  });

  it('updates a contact (200); updatedAt moves, id and createdAt stay', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('a@x.io')]);
    const before = customer.contacts[0];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await request(app)
      .put(`/customers/${customer.id}/contacts/${before.id}`)
      .set('Authorization', auth)
      .send(contact('ann@x.io', 'PRIMARY', 'Ann B'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: before.id, createdAt: before.createdAt, name: 'Ann B', email: 'ann@x.io' });
    expect(res.body.updatedAt > before.updatedAt).toBe(true);
    expect((await contactsOf(auth, customer.id)).body.items).toEqual([res.body]);
  });

  it('refuses to demote the only PRIMARY while a STANDARD contact remains', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('p@x.io'), contact('s@x.io', 'STANDARD')]);
    const res = await request(app)
      .put(`/customers/${customer.id}/contacts/${customer.contacts[0].id}`)
      .set('Authorization', auth)
      .send(contact('p@x.io', 'NONE'));
    expect(expectError(res, 400, '/body/billingPreference').errors[0].message).toBe(RULES.primaryContactKept);
  });

  it('archives a contact: archivedAt set, hidden from the list unless includeArchived=true, again is a no-op', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('p@x.io'), contact('n@x.io', 'NONE')]);
    const target = customer.contacts[1];
    const res = await request(app).post(`/customers/${customer.id}/contacts/${target.id}/archive`).set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body.archivedAt).toMatch(/Z$/);
    expect((await contactsOf(auth, customer.id)).body.items.map((c: { id: string }) => c.id)).toEqual([customer.contacts[0].id]);
    expect((await contactsOf(auth, customer.id, true)).body.items).toHaveLength(2);
    const again = await request(app).post(`/customers/${customer.id}/contacts/${target.id}/archive`).set('Authorization', auth);
    expect(again.body.archivedAt).toBe(res.body.archivedAt);
  });

  it('refuses to archive the last PRIMARY of a customer with STANDARD contacts', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('p@x.io'), contact('s@x.io', 'STANDARD')]);
    const res = await request(app).post(`/customers/${customer.id}/contacts/${customer.contacts[0].id}/archive`).set('Authorization', auth);
    expect(expectError(res, 400, '/path/id').errors[0].message).toBe(RULES.primaryContactKept);
    expect((await contactsOf(auth, customer.id)).body.items).toHaveLength(2);
  });

  it("answers 404 for an unknown customer or contact, and for another partition's", async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, [contact('p@x.io')]);
    expectError(await contactsOf(auth, 'nope'), 404, '/path/customer');
    expectError(await contactsOf(freshClient(), customer.id), 404, '/path/customer');
    expectError(
      await request(app).put(`/customers/${customer.id}/contacts/nope`).set('Authorization', auth).send(contact('a@x.io')),
      404,
      '/path/id',
    );
    expectError(await request(app).post(`/customers/nope/contacts/nope/archive`).set('Authorization', auth), 404, '/path/customer');
    expectError(
      await request(app).post(`/customers/nope/contacts`).set('Authorization', auth).send(contact('a@x.io')),
      404,
      '/path/customer',
    );
  });

  it('validates the contact body against ContactRequestModel', async () => {
    const auth = freshClient();
    const customer = await customerWith(auth, []);
    const res = await request(app)
      .post(`/customers/${customer.id}/contacts`)
      .set('Authorization', auth)
      .send({ name: 'x', billingPreference: 'SOMETIMES' });
    expectError(res, 400, '/body/email');
  });
});

describe('aliases', () => {
  it('are returned by /customers/{id}/aliases and resolve with /customers/by-alias/{alias}', async () => {
    const auth = freshClient();
    const customer = expectCustomer(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ customerAliases: ['crm-42', 'erp-7'] })),
    );
    const res = await request(app).get(`/customers/${customer.id}/aliases`).set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { value: string }) => a.value)).toEqual(['crm-42', 'erp-7']);
    expect(res.body.items[0]).toMatchObject({ customerId: customer.id, createdAt: customer.createdAt });
    const byAlias = await request(app).get('/api/customers/by-alias/erp-7').set('Authorization', auth);
    expect(expectCustomer(byAlias, 200).id).toBe(customer.id);
    expectError(await request(app).get('/customers/by-alias/erp-7').set('Authorization', freshClient()), 404, '/path/alias');
  });

  it('are unique within a partition', async () => {
    const auth = freshClient();
    await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ customerAliases: ['dup'] }))
      .expect(201);
    const res = await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ customerAliases: ['new', 'dup'] }));
    expect(expectError(res, 400, '/body/customerAliases/1').errors[0].message).toBe(RULES.aliasTaken('dup'));
    const twice = await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ customerAliases: ['x', 'x'] }));
    expectError(twice, 400, '/body/customerAliases/1');
    // Another partition may use the same alias.
    await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .send(minimalRequest({ customerAliases: ['dup'] }))
      .expect(201);
  });

  it('are replaced by PUT, keeping the ones sent again', async () => {
    const auth = freshClient();
    const customer = expectCustomer(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ customerAliases: ['a', 'b'] })),
    );
    const first = (await request(app).get(`/customers/${customer.id}/aliases`).set('Authorization', auth)).body.items;
    await request(app)
      .put(`/customers/${customer.id}`)
      .set('Authorization', auth)
      .send(minimalRequest({ customerAliases: ['b', 'c'] }))
      .expect(200);
    const after = (await request(app).get(`/customers/${customer.id}/aliases`).set('Authorization', auth)).body.items;
    expect(after.map((a: { value: string }) => a.value)).toEqual(['b', 'c']);
    expect(after[0].id).toBe(first[1].id);
    expectError(await request(app).get('/customers/by-alias/a').set('Authorization', auth), 404);
  });
});
