import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { basic, expectCustomer, expectError, freshClient, makeApp, minimalRequest, vendorExample } from './helpers.js';

const PARENT_ID = '50af5191-05a3-42a5-802a-6b59091157af';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('POST /customers with the vendor page example', () => {
  const { app } = makeApp();

  it.each(['/api/customers', '/customers'])('answers 201 with a full Customer on %s', async (path) => {
    const res = await request(app).post(path).set('Authorization', freshClient()).send(vendorExample());
    const customer = expectCustomer(res, 201);
    expect(customer.id).toMatch(UUID);
    expect(customer.createdAt).toMatch(ISO_UTC);
    expect(customer).toMatchObject({
      legalName: 'John Doe',
      address: { line1: 'Flat 1', town: 'New York', state: 'NY', postcode: 'AB1 2EF', country: 'US' },
      url: 'https://example.com/',
      domain: 'example.com',
      label: 'Example customer',
      taxStatus: 'TAXED',
      status: 'ACTIVE',
    });
    expect(customer.contacts).toHaveLength(3);
    for (const contact of customer.contacts) {
      expect(contact.id).toMatch(UUID);
      expect(contact.createdAt).toBe(customer.createdAt);
      expect(contact.updatedAt).toBe(customer.createdAt);
    }
    expect(customer.contacts.map((c: any) => [c.name, c.email, c.billingPreference])).toEqual([
      ['John Smith', 'john.smith@example.com', 'PRIMARY'],
      ['Anna Smith', 'anna.smith@example.com', 'STANDARD'],
      ['Penny Smith', 'penny.smith@example.com', 'NONE'],
    ]);
    // Linked ids are not pending; the example already links Xero, so pushToIntegrations adds nothing.
    expect(customer.integrationIds).toEqual([
      { service: 'Xero', id: '123456789', isPending: false, lastSynced: customer.createdAt },
      { service: 'Stripe', id: 'cus_OCtCxqQDgu1uX9', isPending: false, lastSynced: customer.createdAt },
      { service: 'HubSpot', id: '123456789', isPending: false, lastSynced: customer.createdAt },
    ]);
    // The documented parent is a shipped fixture, so the example lands in its organization.
    expect(customer.organizations).toEqual([
      expect.objectContaining({
        id: 'c0dc4e79-ec52-4811-8cf5-addb2527915c',
        owner: { id: PARENT_ID, name: 'FinTech Solutions Inc.' },
      }),
    ]);
    expect(customer.organizations[0].members).toContainEqual({ id: customer.id, name: 'John Doe' });
  });

  it('stores what it answered: GET on either base path reads the same customer back', async () => {
    const auth = freshClient();
    const created = await request(app).post('/api/customers').set('Authorization', auth).send(vendorExample());
    for (const path of [`/api/customers/${created.body.id}`, `/customers/${created.body.id}`]) {
      const read = await request(app).get(path).set('Authorization', auth);
      expect(expectCustomer(read, 200)).toEqual(created.body);
    }
  });
});

describe('the created Customer', () => {
  const { app } = makeApp();
  const create = (body: Record<string, unknown>, auth = freshClient()) =>
    request(app).post('/customers').set('Authorization', auth).send(body);

  it('defaults status to ACTIVE and keeps DRAFT when asked', async () => {
    expect(expectCustomer(await create(minimalRequest())).status).toBe('ACTIVE');
    expect(expectCustomer(await create(minimalRequest({ status: 'DRAFT' }))).status).toBe('DRAFT');
  });

  it.each([
    ['https://www.example.com/x', 'example.com'],
    ['https://billing.acme.co.uk/', 'billing.acme.co.uk'],
    ['acme.io/pricing', 'acme.io'],
  ])('derives domain %s -> %s', async (url, domain) => {
    expect(expectCustomer(await create(minimalRequest({ url }))).domain).toBe(domain);
  });

  it('omits url and domain when no url is given, and domain when the url has no host', async () => {
    const bare = expectCustomer(await create(minimalRequest()));
    expect(bare).not.toHaveProperty('url');
    expect(bare).not.toHaveProperty('domain');
    const odd = expectCustomer(await create(minimalRequest({ url: 'not a url' })));
    expect(odd.url).toBe('not a url');
    expect(odd).not.toHaveProperty('domain');
  });

  it('adds a pending Xero link for pushToIntegrations when none is given', async () => {
    const customer = expectCustomer(await create(minimalRequest({ pushToIntegrations: ['Xero'] })));
    expect(customer.integrationIds).toEqual([{ service: 'Xero', id: expect.stringMatching(UUID), isPending: true }]);
  });

  it('has an empty organizations array when it has no parent and no children', async () => {
    expect(expectCustomer(await create(minimalRequest())).organizations).toEqual([]);
  });

  it('accepts unknown properties without storing or echoing them, and keeps address.line2', async () => {
    const auth = freshClient();
    const body = minimalRequest({ favouriteColour: 'teal', address: { ...minimalRequest().address, line2: 'Floor 2', floor: 3 } });
    const customer = expectCustomer(await create(body, auth));
    expect(customer).not.toHaveProperty('favouriteColour');
    expect(customer.address).toEqual({ ...minimalRequest().address, line2: 'Floor 2' });
    const read = await request(app).get(`/customers/${customer.id}`).set('Authorization', auth);
    expect(read.body).not.toHaveProperty('favouriteColour');
    expect(read.body.address).toEqual({ ...minimalRequest().address, line2: 'Floor 2' });
  });

  it('answers 404 JSON for an unknown id', async () => {
    const res = await request(app).get('/api/customers/00000000-0000-0000-0000-000000000000').set('Authorization', freshClient());
    expectError(res, 404, '/path/id');
  });
});

describe('fixtures', () => {
  it('ship the documented customers: the example parent and its child resolve with GET', async () => {
    const { app } = makeApp();
    const auth = basic('fixtures-reader');
    const parent = expectCustomer(await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth), 200);
    expect(parent.legalName).toBe('FinTech Solutions Inc.');
    expect(parent.organizations).toEqual([
      {
        id: 'c0dc4e79-ec52-4811-8cf5-addb2527915c',
        owner: { id: PARENT_ID, name: 'FinTech Solutions Inc.' },
        members: [{ id: 'e309e948-088e-4d77-b654-cd85498f1555', name: 'Fintech Payment Processing' }],
      },
    ]);
  });

  it('can be turned off: then the example parentId does not resolve', async () => {
    const { app } = makeApp({ fixtures: false });
    const res = await request(app).post('/customers').set('Authorization', freshClient()).send(vendorExample());
    expectError(res, 400, '/body/parentId');
    const get = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient());
    expectError(get, 404);
  });

  it('are copied into each partition: a change in one is not seen by another', async () => {
    const { app } = makeApp();
    const a = basic('partition-a');
    await request(app).post('/customers').set('Authorization', a).send(vendorExample()).expect(201);
    const seenByA = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', a);
    const seenByB = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', basic('partition-b'));
    expect(seenByA.body.organizations[0].members).toHaveLength(2);
    expect(seenByB.body.organizations[0].members).toHaveLength(1);
  });
});
