// The rest of the 2024-07-30 Customers area, as a user sees it through HTTP (strict: every response is
// checked against the published document by the app itself): custom properties, list items in their
// own shape and the new filters, by-alias in both documented shapes, PUT that loses nothing a
// read-modify-write did not mean to drop, /customer-aliases with Idempotency-Key,
// /customer-organizations, /customer-custom-property-keys and /payments/settings/customers.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RULES } from '../src/resources/registry.js';
import { basic, expectCustomer, expectError, freshClient, makeApp, minimalRequest, seedSchemaErrors, spec } from './helpers.js';
import { Ajv } from 'ajv';

const { app } = makeApp();
const create = async (auth: string, body: Record<string, unknown>) =>
  expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(body));
const get = (auth: string, path: string) => request(app).get(path).set('Authorization', auth);
const send = (auth: string, method: 'post' | 'put' | 'delete', path: string, body?: object) =>
  request(app)[method](path).set('Authorization', auth).send(body);

// Formats (int32, int64) are the validator's business; these checks are about shapes.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ components: spec.components }, 'spec');
const conforms = (schema: string, body: unknown) => {
  const validate = ajv.getSchema(`spec#/components/schemas/${schema}`)!;
  return validate(body) ? '' : ajv.errorsText(validate.errors);
};

describe('custom properties', () => {
  it('are stored, returned everywhere, replaced whole when sent and kept when omitted', async () => {
    const auth = freshClient();
    const customer = await create(auth, minimalRequest({ customProperties: { region: 'EU', tier: 'gold' } }));
    expect(customer.customProperties).toEqual({ region: 'EU', tier: 'gold' });
    expect((await get(auth, `/customers/${customer.id}`)).body.customProperties).toEqual({ region: 'EU', tier: 'gold' });
    const kept = expectCustomer(await send(auth, 'put', `/customers/${customer.id}`, minimalRequest({ legalName: 'Renamed' })), 200);
    expect(kept.customProperties).toEqual({ region: 'EU', tier: 'gold' });
    const replaced = expectCustomer(
      await send(auth, 'put', `/customers/${customer.id}`, minimalRequest({ customProperties: { tier: 'silver' } })),
      200,
    );
    expect(replaced.customProperties).toEqual({ tier: 'silver' });
    const cleared = expectCustomer(await send(auth, 'put', `/customers/${customer.id}`, minimalRequest({ customProperties: {} })), 200);
    expect(cleared.customProperties).toEqual({});
  });

  it('are {} on a customer created without them (the field is required in responses)', async () => {
    expect((await create(freshClient(), minimalRequest())).customProperties).toEqual({});
  });

  it('must be strings (400 naming the property)', async () => {
    const res = await send(freshClient(), 'post', '/customers', minimalRequest({ customProperties: { tier: 3 } }));
    expectError(res, 400, '/body/customProperties/tier');
  });

  it('have their distinct keys listed by /customer-custom-property-keys, sorted', async () => {
    const auth = freshClient();
    await create(auth, minimalRequest({ customProperties: { tier: 'gold', region: 'EU' } }));
    await create(auth, minimalRequest({ customProperties: { region: 'US', owner: 'sam' } }));
    const res = await get(auth, '/customer-custom-property-keys');
    expect([res.status, res.body]).toEqual([200, { items: ['owner', 'region', 'tier'] }]);
    expect((await get(freshClient(), '/customer-custom-property-keys')).body).toEqual({ items: [] });
  });
});

describe('GET /customers', () => {
  it('answers list items in their own shape (ListCustomerResponseModel: no contacts, no status)', async () => {
    const auth = freshClient();
    await create(auth, minimalRequest({ contacts: [{ name: 'A', email: 'a@example.com', billingPreference: 'PRIMARY' }] }));
    const res = await get(auth, '/customers');
    expect(conforms('ListCustomerResponse', res.body)).toBe('');
    for (const item of res.body.items) {
      expect(item).not.toHaveProperty('contacts');
      expect(item).not.toHaveProperty('status');
      expect(item).toHaveProperty('customProperties');
    }
  });

  it('filters by label (exact, case-insensitive, like legalName) and billingStatus', async () => {
    const auth = freshClient();
    const vip = await create(auth, minimalRequest({ label: 'VIP account' }));
    await create(auth, minimalRequest({ label: 'Other' }));
    expect((await get(auth, '/customers?label=vip+account')).body.items.map((c: any) => c.id)).toEqual([vip.id]);
    // No billing schedules exist in the fake: every customer is INACTIVE.
    expect((await get(auth, '/customers?billingStatus=ACTIVE')).body).toMatchObject({ items: [], pagination: { totalResultSize: 0 } });
    expect((await get(auth, '/customers?billingStatus=INACTIVE')).body.pagination.totalResultSize).toBe(4);
    expectError(await get(auth, '/customers?billingStatus=SOMETIMES'), 400, '/query/billingStatus');
  });

  it('sorts by customProperties.<key> (without the key last when ascending) and pages through it with cursors', async () => {
    const auth = basic('sort-by-property');
    await request(app).post('/__admin/reset').set('Authorization', auth).send({ to: 'empty' });
    const made = [];
    for (const tier of ['b', 'a', undefined, 'c', 'a'])
      made.push(await create(auth, minimalRequest({ legalName: `T ${tier}`, ...(tier && { customProperties: { tier } }) })));
    const names = (res: any) => res.body.items.map((c: any) => c.legalName);
    const asc = await get(auth, '/customers?sortBy=customProperties.tier&sortOrder=ASC');
    expect(names(asc)).toEqual(['T a', 'T a', 'T b', 'T c', 'T undefined']);
    const first = await get(auth, '/customers?sortBy=customProperties.tier&sortOrder=ASC&limit=2');
    const second = await get(auth, `/customers?sortBy=customProperties.tier&sortOrder=ASC&limit=2&after=${first.body.pagination.after}`);
    const third = await get(auth, `/customers?sortBy=customProperties.tier&sortOrder=ASC&limit=2&after=${second.body.pagination.after}`);
    expect([...names(first), ...names(second), ...names(third)]).toEqual(names(asc));
    const back = await get(auth, `/customers?sortBy=customProperties.tier&sortOrder=ASC&limit=2&before=${second.body.pagination.before}`);
    expect(names(back)).toEqual(names(first));
    // A createdAt cursor is not a cursor of this order, and the other way round.
    const plain = await get(auth, '/customers?limit=1');
    expectError(await get(auth, `/customers?sortBy=customProperties.tier&after=${plain.body.pagination.after}`), 400, '/query/after');
    expectError(await get(auth, `/customers?after=${first.body.pagination.after}`), 400, '/query/after');
  });

  it('refuses other sort columns, naming sortBy', async () => {
    const error = expectError(await get(freshClient(), '/customers?sortBy=legalName'), 400, '/query/sortBy');
    expect(error.errors).toContainEqual({ path: '/query/sortBy', message: RULES.sortBy });
  });
});

describe('queries as real clients encode them', () => {
  const auth = freshClient();
  const names = ["O'Brien Holdings Ltd", 'John Doe', 'Acme (UK)', 'Yahoo!', 'A&B Co', 'Plus+Minus'];

  it.each(names)(
    'finds %p by legalName whether + or %20 stands for a space and reserved characters are raw or encoded',
    async (legalName) => {
      await create(
        auth,
        minimalRequest({
          legalName,
          contacts: [{ name: 'X', email: `x+${names.indexOf(legalName)}@example.com`, billingPreference: 'PRIMARY' }],
        }),
      );
      const encodings = [
        new URLSearchParams({ legalName }).toString(), // space as +, ' ( ) ! encoded
        `legalName=${encodeURIComponent(legalName)}`, // space as %20, ' ( ) ! raw (openapi-fetch)
      ];
      for (const query of encodings) {
        const res = await get(auth, `/customers?${query}`);
        expect([query, res.status, res.body.items?.map((c: any) => c.legalName)]).toEqual([query, 200, [legalName]]);
      }
    },
  );

  it('takes a raw @ (and an encoded +) in email', async () => {
    const res = await get(auth, `/customers?email=x%2B1@example.com`);
    expect(res.body.items.map((c: any) => c.legalName)).toEqual(['John Doe']);
  });

  it('ignores unknown query parameters, as unknown body fields are', async () => {
    const res = await get(auth, '/customers?legalName=John+Doe&expand=contacts&utm_source=x');
    expect([res.status, res.body.items.length]).toEqual([200, 1]);
  });

  it('answers HEAD wherever GET answers, and Allow lists it', async () => {
    const head = await request(app).head('/customers').set('Authorization', auth);
    expect([head.status, head.headers['content-type'], head.headers['sequence-version']]).toEqual([
      200,
      expect.stringMatching(/json/),
      '2024-07-30',
    ]);
    const wrong = await request(app).patch('/customers/x').set('Authorization', auth).send({});
    expect(wrong.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'PUT']);
  });
});

describe('GET /customers/by-alias/{alias}', () => {
  it('answers a body valid as both the 2024-07-30 Customer and the documented Customer20240509', async () => {
    const auth = freshClient();
    await create(
      auth,
      minimalRequest({
        customerAliases: ['crm-1'],
        contacts: [
          { name: 'Nora None', email: 'nora@example.com', billingPreference: 'NONE' },
          { name: 'Pat Primary', email: 'pat@example.com', billingPreference: 'PRIMARY' },
          { name: 'Sam Standard', email: 'sam@example.com', billingPreference: 'STANDARD' },
        ],
      }),
    );
    const res = await get(auth, '/customers/by-alias/crm-1');
    expect(res.status).toBe(200);
    expect([conforms('Customer', res.body), conforms('Customer20240509', res.body), seedSchemaErrors('Customer', res.body)]).toEqual([
      '',
      '',
      '',
    ]);
    expect(res.body).toMatchObject({
      email: 'pat@example.com',
      contactName: 'Pat Primary',
      billingEmails: ['pat@example.com', 'sam@example.com'],
    });
  });
});

describe('PUT /customers/{id} loses nothing a read-modify-write did not mean to drop', () => {
  it('keeps aliases and organization membership when the body omits them, and line2 round-trips', async () => {
    const auth = freshClient();
    const parent = await create(auth, minimalRequest({ legalName: 'Parent' }));
    const child = await create(
      auth,
      minimalRequest({ parentId: parent.id, customerAliases: ['keep-me'], address: { ...minimalRequest().address, line2: 'Unit 4' } }),
    );
    // What a client reads, edited and sent back (the Customer has neither customerAliases nor parentId).
    const {
      id: _id,
      createdAt: _c,
      organizations: _o,
      domain: _d,
      integrationIds: _i,
      status,
      contacts,
      ...rest
    } = (await get(auth, `/customers/${child.id}`)).body;
    const put = expectCustomer(
      await send(auth, 'put', `/customers/${child.id}`, {
        ...rest,
        status,
        contacts: contacts.map(({ name, email, billingPreference }: any) => ({ name, email, billingPreference })),
        legalName: 'Edited',
      }),
      200,
    );
    expect(put.address.line2).toBe('Unit 4');
    expect(put.organizations.map((o: any) => o.owner.id)).toEqual([parent.id]);
    expect((await get(auth, '/customers/by-alias/keep-me')).body.id).toBe(child.id);
    // Sent explicitly, customerAliases still replace.
    await send(auth, 'put', `/customers/${child.id}`, minimalRequest({ customerAliases: [] })).expect(200);
    expectError(await get(auth, '/customers/by-alias/keep-me'), 404);
  });

  it('keeps each contact its own id when two share an email, across an identical PUT and a reordered one', async () => {
    const auth = freshClient();
    const contacts = [
      { name: 'Billing', email: 'shared@example.com', billingPreference: 'PRIMARY' },
      { name: 'Ops', email: 'shared@example.com', billingPreference: 'NONE' },
    ];
    const customer = await create(auth, minimalRequest({ contacts }));
    const ids = customer.contacts.map((c: any) => c.id);
    const same = expectCustomer(await send(auth, 'put', `/customers/${customer.id}`, minimalRequest({ contacts })), 200);
    expect(same.contacts.map((c: any) => c.id)).toEqual(ids);
    expect(same.contacts).toEqual(customer.contacts);
    const reordered = expectCustomer(
      await send(auth, 'put', `/customers/${customer.id}`, minimalRequest({ contacts: [contacts[1], contacts[0]] })),
      200,
    );
    expect(reordered.contacts.map((c: any) => c.id)).toEqual([ids[1], ids[0]]);
  });
});

describe('/customer-aliases', () => {
  it('creates, lists (filter and pages), updates the label and deletes, with by-alias following', async () => {
    const auth = freshClient();
    const customer = await create(auth, minimalRequest());
    const made = [];
    for (const value of ['a-1', 'a-2', 'a-3']) {
      const res = await send(auth, 'post', '/customer-aliases', { customerId: customer.id, value, label: 'CRM ID' });
      expect([res.status, conforms('CustomerAliasResponseModel', res.body)]).toEqual([201, '']);
      made.push(res.body);
    }
    expect(made[0]).toMatchObject({ customerId: customer.id, value: 'a-1', label: 'CRM ID' });
    expect((await get(auth, '/customer-aliases?value=a-2')).body.items.map((a: any) => a.id)).toEqual([made[1].id]);
    const page1 = await get(auth, '/customer-aliases?limit=2');
    const page2 = await get(auth, `/customer-aliases?limit=2&after=${page1.body.pagination.after}`);
    expect(conforms('ListCustomerAliasPaginatedResponseModel', page1.body)).toBe('');
    expect([...page1.body.items, ...page2.body.items].map((a: any) => a.value)).toEqual(['a-1', 'a-2', 'a-3']);
    expect(page1.body.pagination.totalResultSize).toBe(3);
    expect((await get(auth, `/customers/${customer.id}/aliases`)).body.items.map((a: any) => a.value)).toEqual(['a-1', 'a-2', 'a-3']);

    const relabelled = await send(auth, 'put', `/customer-aliases/${made[0].id}`, { label: 'Billing ID' });
    expect([relabelled.status, relabelled.body.label]).toEqual([200, 'Billing ID']);
    const unchanged = await send(auth, 'put', `/customer-aliases/${made[0].id}`, {});
    expect(unchanged.body.label).toBe('Billing ID');

    const deleted = await send(auth, 'delete', `/customer-aliases/${made[0].id}`);
    expect([deleted.status, deleted.body.value, typeof deleted.body.deletedAt]).toEqual([200, 'a-1', 'string']);
    expectError(await get(auth, '/customers/by-alias/a-1'), 404);
    expectError(await send(auth, 'delete', `/customer-aliases/${made[0].id}`), 404, '/path/id');
    // The value is free again.
    expect((await send(auth, 'post', '/customer-aliases', { customerId: customer.id, value: 'a-1' })).status).toBe(201);
  });

  it('refuses an unknown customer and a value already taken, naming the field', async () => {
    const auth = freshClient();
    const one = await create(auth, minimalRequest({ customerAliases: ['taken'] }));
    const two = await create(auth, minimalRequest());
    expectError(await send(auth, 'post', '/customer-aliases', { customerId: 'nope', value: 'x' }), 400, '/body/customerId');
    const taken = expectError(await send(auth, 'post', '/customer-aliases', { customerId: two.id, value: 'taken' }), 400, '/body/value');
    expect(taken.errors[0].message).toBe(RULES.aliasTaken('taken'));
    const own = expectError(await send(auth, 'post', '/customer-aliases', { customerId: one.id, value: 'taken' }), 400, '/body/value');
    expect(own.errors[0].message).toBe(RULES.aliasOwned('taken'));
    expectError(await send(auth, 'post', '/customer-aliases', { value: 'x' }), 400, '/body/customerId');
  });

  it('runs a create once per Idempotency-Key and replays its answer; a different body with the key is a 400', async () => {
    const auth = freshClient();
    const customer = await create(auth, minimalRequest());
    const body = { customerId: customer.id, value: 'idem-1' };
    const first = await send(auth, 'post', '/customer-aliases', body).set('Idempotency-Key', 'key-1');
    const retry = await send(auth, 'post', '/customer-aliases', body).set('Idempotency-Key', 'key-1');
    expect([first.status, retry.status, retry.body, retry.headers['idempotent-replayed']]).toEqual([201, 201, first.body, 'true']);
    expect((await get(auth, '/customer-aliases')).body.items).toHaveLength(1);
    const other = expectError(
      await send(auth, 'post', '/customer-aliases', { ...body, value: 'idem-2' }).set('Idempotency-Key', 'key-1'),
      400,
      '/headers/idempotency-key',
    );
    expect(other.type).toBe('IdempotencyKeyReused');
    // Keys are per partition: another account's same key runs its own request.
    const elsewhere = freshClient();
    const theirs = await create(elsewhere, minimalRequest());
    expect(
      (await send(elsewhere, 'post', '/customer-aliases', { customerId: theirs.id, value: 'idem-1' }).set('Idempotency-Key', 'key-1'))
        .status,
    ).toBe(201);
    // Without a key, a repeat is a new request (and here a 400: the alias exists).
    expectError(await send(auth, 'post', '/customer-aliases', body), 400, '/body/value');
  });
});

describe('/customer-organizations', () => {
  it('creates an organization that customers then show, dropping the owner from its own members (as the documented example has it)', async () => {
    const auth = freshClient();
    const owner = await create(auth, minimalRequest({ legalName: 'Owner' }));
    const member = await create(auth, minimalRequest({ legalName: 'Member' }));
    const res = await send(auth, 'post', '/customer-organizations', { ownerId: owner.id, memberIds: [member.id, owner.id] });
    expect([res.status, conforms('CustomerOrganization', res.body)]).toEqual([201, '']);
    expect(res.body).toEqual({
      id: expect.any(String),
      owner: { id: owner.id, name: 'Owner' },
      members: [{ id: member.id, name: 'Member' }],
    });
    expect((await get(auth, `/customers/${member.id}`)).body.organizations).toEqual([res.body]);
    expect((await get(auth, `/customers/${owner.id}`)).body.organizations).toEqual([res.body]);
    // The same organization a child created with parentId joins.
    const child = await create(auth, minimalRequest({ legalName: 'Child', parentId: owner.id }));
    expect(child.organizations[0]).toMatchObject({
      id: res.body.id,
      members: [
        { id: member.id, name: 'Member' },
        { id: child.id, name: 'Child' },
      ],
    });
  });

  it('adds members (once each) and replaces them, leaving other memberships alone', async () => {
    const auth = freshClient();
    const [a, b, c, other] = [
      await create(auth, minimalRequest({ legalName: 'A' })),
      await create(auth, minimalRequest({ legalName: 'B' })),
      await create(auth, minimalRequest({ legalName: 'C' })),
      await create(auth, minimalRequest({ legalName: 'Other' })),
    ];
    const org = (await send(auth, 'post', '/customer-organizations', { ownerId: a.id, memberIds: [] })).body;
    const elsewhere = (await send(auth, 'post', '/customer-organizations', { ownerId: other.id, memberIds: [b.id] })).body;
    const added = await send(auth, 'post', `/customer-organizations/${org.id}/members`, { customerIds: [b.id, c.id, b.id] });
    expect([added.status, added.body.members.map((m: any) => m.name)]).toEqual([200, ['B', 'C']]);
    const again = await send(auth, 'post', `/customer-organizations/${org.id}/members`, { customerIds: [c.id] });
    expect(again.body.members.map((m: any) => m.name)).toEqual(['B', 'C']);
    const replaced = await send(auth, 'put', `/customer-organizations/${org.id}/members`, { customerIds: [c.id] });
    expect(replaced.body.members.map((m: any) => m.name)).toEqual(['C']);
    // B left A's organization but is still in Other's.
    expect((await get(auth, `/customers/${b.id}`)).body.organizations.map((o: any) => o.id)).toEqual([elsewhere.id]);
  });

  it("refuses what Sequence's rules forbid, naming the field; 404 for an unknown organization", async () => {
    const auth = freshClient();
    const owner = await create(auth, minimalRequest());
    const draft = await create(auth, minimalRequest({ status: 'DRAFT' }));
    const org = (await send(auth, 'post', '/customer-organizations', { ownerId: owner.id, memberIds: [] })).body;
    expectError(await send(auth, 'post', '/customer-organizations', { ownerId: 'nope', memberIds: [] }), 400, '/body/ownerId');
    expectError(await send(auth, 'post', '/customer-organizations', { ownerId: draft.id, memberIds: [] }), 400, '/body/ownerId');
    const second = expectError(
      await send(auth, 'post', '/customer-organizations', { ownerId: owner.id, memberIds: [] }),
      400,
      '/body/ownerId',
    );
    expect(second.errors[0].message).toBe(RULES.ownerHasOrganization(org.id));
    expectError(await send(auth, 'post', '/customer-organizations', { ownerId: draft.id }), 400, '/body/memberIds');
    expectError(
      await send(auth, 'post', `/customer-organizations/${org.id}/members`, { customerIds: ['nope'] }),
      400,
      '/body/customerIds/0',
    );
    // The owner's own parent cannot become its member.
    const child = await create(auth, minimalRequest({ parentId: owner.id }));
    const childOrg = (await send(auth, 'post', '/customer-organizations', { ownerId: child.id, memberIds: [] })).body;
    const cycle = expectError(
      await send(auth, 'put', `/customer-organizations/${childOrg.id}/members`, { customerIds: [owner.id] }),
      400,
      '/body/customerIds/0',
    );
    expect(cycle.errors[0].message).toBe(RULES.parentCycle);
    expectError(await send(auth, 'post', '/customer-organizations/nope/members', { customerIds: [] }), 404, '/path/id');
  });
});

describe('/payments/settings/customers', () => {
  it("creates, reads, updates and deletes a customer's payment settings", async () => {
    const auth = freshClient();
    const customer = await create(auth, minimalRequest());
    const made = await send(auth, 'post', '/payments/settings/customers', { customerId: customer.id, paymentProvider: 'STRIPE' });
    expect([made.status, conforms('CreateCustomerSettingsEndpointProductCreateCustomerSettingsResponseModel', made.body)]).toEqual([
      201,
      '',
    ]);
    expect(made.body).toMatchObject({ customerId: customer.id, paymentProvider: 'STRIPE' });
    expect((await get(auth, `/payments/settings/customers/${made.body.id}`)).body).toEqual(made.body);
    const changed = await send(auth, 'put', `/payments/settings/customers/${made.body.id}`, { paymentProvider: 'GOCARDLESS' });
    expect([changed.status, changed.body.paymentProvider]).toEqual([200, 'GOCARDLESS']);
    const second = expectError(
      await send(auth, 'post', '/payments/settings/customers', { customerId: customer.id, paymentProvider: 'NONE' }),
      400,
      '/body/customerId',
    );
    expect(second.errors[0].message).toBe(RULES.settingsExist(made.body.id));
    const deleted = await send(auth, 'delete', `/payments/settings/customers/${made.body.id}`);
    expect([deleted.status, deleted.body.paymentProvider]).toEqual([200, 'GOCARDLESS']);
    expectError(await get(auth, `/payments/settings/customers/${made.body.id}`), 404, '/path/id');
    // The customer itself is untouched by all this, and can have settings again.
    expectCustomer(await get(auth, `/customers/${customer.id}`), 200);
    expect((await send(auth, 'post', '/payments/settings/customers', { customerId: customer.id, paymentProvider: 'NONE' })).status).toBe(
      201,
    );
  });

  it('refuses an unknown customer and an unknown provider, naming the field', async () => {
    const auth = freshClient();
    expectError(
      await send(auth, 'post', '/payments/settings/customers', { customerId: 'nope', paymentProvider: 'STRIPE' }),
      400,
      '/body/customerId',
    );
    const customer = await create(auth, minimalRequest());
    expectError(
      await send(auth, 'post', '/payments/settings/customers', { customerId: customer.id, paymentProvider: 'PAYPAL' }),
      400,
      '/body/paymentProvider',
    );
  });
});
