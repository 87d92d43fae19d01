// A client nobody here wrote, generated from Sequence's published document as shipped (not from the
// fake's files): @hey-api/openapi-ts's fetch SDK, made by `npm run generate:clients` into test/clients/
// before the type check, so every call below is typed by Sequence's own document. It drives the fake
// through the Customers area and the rest of the API as an app would, with queries as that SDK encodes them
// (encodeURIComponent: a space is %20, ' ( ) ! stay raw) and as URLSearchParams does (a space is +).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, createConfig } from './clients/hey-api/client/index.js';
import {
  getBillingSchedules,
  getBillingSchedulesByBillingScheduleId,
  getCustomerAliases,
  getCustomerCustomPropertyKeys,
  getCustomers,
  getCustomersByAliasByAlias,
  getCustomersByCustomerContacts,
  getCustomersById,
  deleteNotificationsPoliciesByIdRecipientsByRecipient,
  getNotificationsPoliciesById,
  postNotificationsPolicies,
  postNotificationsPoliciesByIdRecipients,
  getTaxRatesById,
  getUsageEvents,
  postBillingSchedules,
  postCustomerAliases,
  postCustomerOrganizations,
  postCustomers,
  postCustomersByCustomerContacts,
  postPaymentsSettingsCustomers,
  postTaxRates,
  postUsageEvents,
  putBillingSchedulesByBillingScheduleIdActivate,
  putCustomerOrganizationsByIdMembers,
  putCustomersById,
} from './clients/hey-api/sdk.gen.js';
import { start, type RunningServer } from '../src/server.js';

let fake: RunningServer;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent', strict: true });
  client = createClient(createConfig({ baseUrl: `${fake.url}/api` }));
});
afterAll(() => fake.close());

/** The document makes Authorization a header parameter of every operation, so the SDK asks for it per call. */
const headers = (clientId: string) => ({
  Authorization: `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`,
  'sequence-version': '2024-07-30' as const,
});
const address = { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' as const };

describe('the hey-api SDK generated from the published document', () => {
  it('keeps a notification policy: a generated webhook secret, a recipient URL added and removed through its encoded path', async () => {
    const h = headers('hey-api-policies');
    const made = await postNotificationsPolicies({
      client,
      headers: h,
      body: {
        name: 'Dev hooks',
        recipients: ['https://api.company.com/webhooks'],
        channel: 'WEBHOOK',
        notificationTypes: ['CUSTOMER_CREATED'],
      },
    });
    expect(made.response.status).toBe(201);
    const id = made.data!.id;
    expect(made.data!.webhookSecret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const added = await postNotificationsPoliciesByIdRecipients({
      client,
      headers: h,
      path: { id },
      body: { recipients: ['https://hooks.example.com/a?x=1&y=2'] },
    });
    expect(added.data!.recipients).toEqual(['https://api.company.com/webhooks', 'https://hooks.example.com/a?x=1&y=2']);
    const removed = await deleteNotificationsPoliciesByIdRecipientsByRecipient({
      client,
      headers: h,
      path: { id, recipient: 'https://hooks.example.com/a?x=1&y=2' },
    });
    expect([removed.response.status, removed.data!.recipients]).toEqual([200, ['https://api.company.com/webhooks']]);
    const read = await getNotificationsPoliciesById({ client, headers: h, path: { id } });
    expect(read.data).toEqual({ ...made.data, recipients: ['https://api.company.com/webhooks'] });
    const refused = await postNotificationsPolicies({
      client,
      headers: h,
      body: { name: 'Finance', recipients: ['finance@example.com'], channel: 'EMAIL', webhookSecret: 'whsec_x' },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ errors: [{ path: '/body/webhookSecret' }], error: { type: 'ValidationError' } });
  });

  it("keeps a customer's contacts, sent with it and added after, with every field and its customer", async () => {
    const h = headers('hey-api-contacts');
    const made = await postCustomers({
      client,
      headers: h,
      body: {
        legalName: 'Contacts Ltd',
        address,
        taxStatus: 'TAXED',
        contacts: [{ name: 'Ann Billing', email: 'ann@contacts.example', billingPreference: 'PRIMARY' }],
      },
    });
    expect(made.response.status).toBe(201);
    const customer = made.data!.id;
    const added = await postCustomersByCustomerContacts({
      client,
      headers: h,
      path: { customer },
      body: { name: 'Bob Ops', email: 'bob@contacts.example', billingPreference: 'NONE' },
    });
    expect([added.response.status, added.data?.name, added.data?.email, added.data?.billingPreference]).toEqual([
      201,
      'Bob Ops',
      'bob@contacts.example',
      'NONE',
    ]);
    const listed = await getCustomersByCustomerContacts({ client, headers: h, path: { customer } });
    const fields = (c: { name: string; email: string; billingPreference: string; createdAt: string; updatedAt: string }) => [
      c.name,
      c.email,
      c.billingPreference,
      c.createdAt === c.updatedAt,
    ];
    expect(listed.data?.items.map(fields)).toEqual([
      ['Ann Billing', 'ann@contacts.example', 'PRIMARY', true],
      ['Bob Ops', 'bob@contacts.example', 'NONE', true],
    ]);
    expect(listed.data?.items.map((c) => c.id)).toEqual([made.data!.contacts[0]!.id, added.data!.id]);
    const read = await getCustomersById({ client, headers: h, path: { id: customer } });
    expect(read.data?.contacts.map((c) => c.email)).toEqual(['ann@contacts.example', 'bob@contacts.example']);
  });

  it('creates, finds by filters with spaces, apostrophes and brackets, updates without losing what it omits', async () => {
    const h = headers('hey-api-flow');
    const names = ["O'Brien Holdings Ltd", 'Acme (UK) Ltd', 'Yahoo! Inc'];
    const made = [];
    for (const legalName of names) {
      const res = await postCustomers({
        client,
        headers: h,
        body: {
          legalName,
          address: { ...address, line2: 'Floor 2' },
          taxStatus: 'TAXED',
          contacts: [],
          customerAliases: [legalName.toLowerCase()],
          customProperties: { tier: 'gold' },
        },
      });
      expect([res.response.status, res.response.headers.get('sequence-version')]).toEqual([201, '2024-07-30']);
      made.push(res.data!);
    }
    expect(made[0]!.address.line2).toBe('Floor 2');

    for (const [i, legalName] of names.entries()) {
      const listed = await getCustomers({ client, headers: h, query: { legalName, sortBy: 'customProperties.tier', sortOrder: 'ASC' } });
      expect([listed.response.status, listed.data?.items.map((c) => c.id)]).toEqual([200, [made[i]!.id]]);
      const form = await fetch(`${fake.url}/api/customers?${new URLSearchParams({ legalName })}`, { headers: h });
      expect(((await form.json()) as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([made[i]!.id]);
      const byAlias = await getCustomersByAliasByAlias({ client, headers: h, path: { alias: legalName.toLowerCase() } });
      expect([byAlias.data?.id, byAlias.data?.billingEmails, typeof byAlias.data?.email]).toEqual([made[i]!.id, [], 'string']);
    }

    // Read, modify, write back: the Customer has no customerAliases or parentId to echo, and nothing is lost.
    const read = (await getCustomersById({ client, headers: h, path: { id: made[0]!.id } })).data!;
    const updated = await putCustomersById({
      client,
      headers: h,
      path: { id: read.id },
      body: { legalName: `${read.legalName} (renamed)`, address: read.address, taxStatus: read.taxStatus, contacts: [] },
    });
    expect([updated.response.status, updated.data?.customProperties, updated.data?.address.line2]).toEqual([
      200,
      { tier: 'gold' },
      'Floor 2',
    ]);
    const stillThere = await getCustomersByAliasByAlias({ client, headers: h, path: { alias: names[0]!.toLowerCase() } });
    expect(stillThere.data?.id).toBe(read.id);
    expect((await getCustomerCustomPropertyKeys({ client, headers: h })).data).toEqual({ items: ['tier'] });
  });

  it('uses aliases with an Idempotency-Key, organizations and payment settings', async () => {
    const h = headers('hey-api-resources');
    const owner = (await postCustomers({ client, headers: h, body: { legalName: 'Owner plc', address, taxStatus: 'TAXED', contacts: [] } }))
      .data!;
    const member = (
      await postCustomers({ client, headers: h, body: { legalName: 'Member Ltd', address, taxStatus: 'TAXED', contacts: [] } })
    ).data!;

    const body = { customerId: member.id, value: 'crm 42', label: 'CRM ID' };
    const first = await postCustomerAliases({ client, headers: { ...h, 'Idempotency-Key': 'retry-1' }, body });
    const retry = await postCustomerAliases({ client, headers: { ...h, 'Idempotency-Key': 'retry-1' }, body });
    expect([first.response.status, retry.response.status, retry.data]).toEqual([201, 201, first.data]);
    const aliases = await getCustomerAliases({ client, headers: h, query: { value: 'crm 42' } });
    expect(aliases.data?.items.map((a) => a.id)).toEqual([first.data!.id]);

    const organization = await postCustomerOrganizations({ client, headers: h, body: { ownerId: owner.id, memberIds: [member.id] } });
    expect([organization.response.status, organization.data?.members]).toEqual([201, [{ id: member.id, name: 'Member Ltd' }]]);
    const emptied = await putCustomerOrganizationsByIdMembers({
      client,
      headers: h,
      path: { id: organization.data!.id },
      body: { customerIds: [] },
    });
    expect(emptied.data?.members).toEqual([]);

    const settings = await postPaymentsSettingsCustomers({
      client,
      headers: h,
      body: { customerId: member.id, paymentProvider: 'STRIPE' },
    });
    expect([settings.response.status, settings.data?.customerId]).toEqual([201, member.id]);
  });

  it("sees Sequence's error envelope: body.error.message, and the documented UnrecognisedApiVersion body", async () => {
    const h = headers('hey-api-errors');
    const invalid = await postCustomers({
      client,
      headers: h,
      body: { legalName: 'No state', address: { ...address, country: 'US' }, taxStatus: 'TAXED', contacts: [] },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ error: { type: 'ValidationError', message: expect.stringContaining('/body/address/state') } });

    const version = await getCustomers({ client, headers: { ...h, 'sequence-version': '2017-01-01' as '2024-07-30' } });
    expect([version.response.status, version.error]).toEqual([
      400,
      {
        error: {
          type: 'UnrecognisedApiVersion',
          message: 'No matching API version found. Please make sure the specified API version is valid.',
        },
      },
    ]);
  });

  it('drives the rest of the API: usage events per alias (array query as the SDK and URLSearchParams send it), billing schedules, a tax rate', async () => {
    const h = headers('hey-api-rest');
    const customer = await postCustomers({
      client,
      headers: h,
      body: { legalName: 'Usage Co', address, taxStatus: 'TAXED', contacts: [], customerAliases: ["acct o'neil (1)", 'acct-2'] },
    });
    expect(customer.response.status).toBe(201);
    for (const customerAlias of ["acct o'neil (1)", 'acct-2', "acct o'neil (1)"]) {
      const event = await postUsageEvents({
        client,
        headers: h,
        body: { customerAlias, eventType: 'message-sent', eventProperties: { length: 5 } },
      });
      expect([event.response.status, event.data?.customerAlias]).toEqual([201, customerAlias]);
    }
    const one = await getUsageEvents({ client, headers: h, query: { customerAlias: ["acct o'neil (1)"] } });
    expect(one.data?.items.map((e) => e.customerAlias)).toEqual(["acct o'neil (1)", "acct o'neil (1)"]);
    const both = await getUsageEvents({ client, headers: h, query: { customerAlias: ["acct o'neil (1)", 'acct-2'] } });
    expect(both.data?.pagination.totalResultSize).toBe(3);
    const form = new URLSearchParams([['customerAlias', "acct o'neil (1)"]]);
    const viaForm = await fetch(`${fake.url}/api/usage-events?${form}`, { headers: h });
    expect(((await viaForm.json()) as { items: unknown[] }).items).toHaveLength(2);
    const unknown = await postUsageEvents({ client, headers: h, body: { customerAlias: 'nobody', eventType: 'x' } });
    // An alias no customer has yet is kept, as Sequence keeps it, and listed as unmapped.
    expect(unknown.response.status).toBe(201);
    const unmapped = await getUsageEvents({ client, headers: h, query: { unmappedAliasesOnly: true } });
    expect(unmapped.data?.items.map((e) => e.id)).toEqual([unknown.data?.id]);

    const schedule = await postBillingSchedules({
      client,
      headers: h,
      body: {
        customerId: customer.data!.id,
        startDate: '2026-01-01',
        taxRates: [],
        autoIssueInvoices: false,
        isDraft: true,
        rollUpBilling: false,
        phases: [],
      },
    });
    expect([schedule.response.status, schedule.data?.status]).toEqual([201, 'DRAFT']);
    const id = schedule.data!.id;
    await putBillingSchedulesByBillingScheduleIdActivate({ client, headers: h, path: { billingScheduleId: id } });
    const read = await getBillingSchedulesByBillingScheduleId({ client, headers: h, path: { billingScheduleId: id } });
    expect(read.data?.status).toBe('ACTIVE');
    const listed = await getBillingSchedules({ client, headers: h, query: { customerId: customer.data!.id } });
    expect(listed.data?.items.map((s) => s.id)).toEqual([id]);

    const rate = await postTaxRates({
      client,
      headers: h,
      body: {
        name: 'UK VAT',
        invoiceName: 'VAT',
        invoiceShortName: 'VAT',
        description: 'Standard',
        amount: '0.2',
        country: 'GB',
        isPublished: false,
      },
    });
    expect(rate.response.status).toBe(201);
    const back = await getTaxRatesById({ client, headers: h, path: { id: rate.data!.id } });
    expect([back.data?.id, back.data?.name]).toEqual([rate.data!.id, 'UK VAT']);
  });

  it("reads customers made by the admin seed (POST /__admin/seed) as Sequence's document describes them", async () => {
    const h = headers('hey-api-seeded');
    const before = await getCustomers({ client, headers: h, query: { limit: 50 } }); // the starting data's customers
    // The seed is the fake's own API, outside Sequence's document: called directly, then read through the SDK.
    const seeded = await fetch(`${fake.url}/__admin/seed`, {
      method: 'POST',
      headers: { authorization: h.Authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 4, seed: 11, withChildren: true }),
    });
    const made = (await seeded.json()) as { items: { id: string; legalName: string }[] };
    expect([seeded.status, made.items.length]).toEqual([201, 4]);
    // strict: the fake checks every answer against the document, so a seeded customer that did not
    // conform would be a 500 here, not a 200.
    const listed = await getCustomers({ client, headers: h, query: { limit: 50 } });
    const ids = (items: { id: string }[] | undefined) => (items ?? []).map((c) => c.id).sort();
    expect([listed.response.status, ids(listed.data?.items)]).toEqual([200, [...ids(before.data?.items), ...ids(made.items)].sort()]);
    const first = made.items[0]!;
    const one = await getCustomersById({ client, headers: h, path: { id: first.id } });
    expect([one.response.status, one.data?.legalName]).toEqual([200, first.legalName]);
    // The seed answers each customer as GET /customers/{id} does: the same body, field for field.
    expect(one.data).toEqual(first);
  });
});

describe('the hey-api SDK through the validating proxy (--upstream)', () => {
  let proxy: RunningServer;
  let viaProxy: ReturnType<typeof createClient>;
  beforeAll(async () => {
    proxy = await start({ port: 0, logLevel: 'silent', upstream: `${fake.url}/api` });
    viaProxy = createClient(createConfig({ baseUrl: `${proxy.url}/api` }));
  });
  afterAll(() => proxy.close());

  it('gets the upstream answers, queries forwarded as the SDK and URLSearchParams encode them, and no divergence', async () => {
    const h = headers('hey-api-proxy');
    const legalName = "O'Neil (Proxy) & Sons";
    const made = await postCustomers({ client: viaProxy, headers: h, body: { legalName, address, taxStatus: 'TAXED', contacts: [] } });
    expect([made.response.status, made.response.headers.get('sequence-version'), made.data?.legalName]).toEqual([
      201,
      '2024-07-30',
      legalName,
    ]);
    const alias = await postCustomerAliases({
      client: viaProxy,
      headers: h,
      body: { customerId: made.data!.id, value: 'proxy alias (1)' },
    });
    expect(alias.response.status).toBe(201);

    const listed = await getCustomers({ client: viaProxy, headers: h, query: { legalName } });
    const direct = await getCustomers({ client, headers: h, query: { legalName } });
    expect([listed.response.status, listed.data]).toEqual([200, direct.data]);
    expect(listed.data?.items.map((c) => c.id)).toEqual([made.data!.id]);
    const form = await fetch(`${proxy.url}/api/customers?${new URLSearchParams({ legalName })}`, { headers: h });
    expect(((await form.json()) as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([made.data!.id]);
    const aliases = await getCustomerAliases({ client: viaProxy, headers: h, query: { value: 'proxy alias (1)' } });
    expect(aliases.data?.items.map((a) => a.customerId)).toEqual([made.data!.id]);
    const read = await getCustomersById({ client: viaProxy, headers: h, path: { id: made.data!.id } });
    expect(read.data).toEqual((await getCustomersById({ client, headers: h, path: { id: made.data!.id } })).data);

    // The upstream saw each query exactly as the client sent it to the proxy: the SDK's %20 and the form's +.
    const filter = { partition: 'hey-api-proxy', method: 'GET', path: '/customers?' };
    const sent = proxy.requests(filter).map((e) => e.path);
    expect(sent).toEqual([expect.stringContaining('+'), expect.stringContaining('%20')]); // newest first
    const received = fake.requests(filter).map((e) => e.path);
    for (const path of sent) expect(received).toContain(path);
    const summary = (await (await fetch(`${proxy.url}/__admin/divergences`)).json()) as { requests: number; diverging: number };
    expect(summary).toEqual(expect.objectContaining({ requests: 6, diverging: 0 }));
  });
});
