// Every API version Sequence publishes, driven by a client generated from that version's own document
// (hey-api, by `npm run generate:clients`), against one fake in strict mode: a customer, a billing
// schedule and an invoice written under one version read back under the others, both ways, and every
// answer is checked against the asked version's published document by an ajv of the test's own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { createClient, createConfig } from './clients/hey-api/client/index.js';
import * as current from './clients/hey-api/sdk.gen.js';
import * as v0509 from './clients/hey-api-2024-05-09/sdk.gen.js';
import * as v0101 from './clients/hey-api-2024-01-01/sdk.gen.js';
import { start, type RunningServer } from '../src/server.js';

let fake: RunningServer;
const AUTH = `Basic ${Buffer.from('versions-e2e:secret').toString('base64')}`;
const clientFor = (version: string) =>
  createClient(createConfig({ baseUrl: `${fake.url}/api`, headers: { Authorization: AUTH, 'Sequence-Version': version } }));
let clients: Record<'2024-07-30' | '2024-05-09' | '2024-01-01', ReturnType<typeof createClient>>;

/**
 * The published document's schema for an answer, compiled by ajv. OpenAPI 3.0 ignores the siblings of
 * a $ref (`nullable` beside one): the only change made to the document before compiling.
 */
const documents = new Map<string, Record<string, any>>();
function withoutRefSiblings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRefSiblings);
  if (typeof node !== 'object' || node === null) return node;
  const object = node as Record<string, unknown>;
  if (typeof object.$ref === 'string') return { $ref: object.$ref };
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, withoutRefSiblings(v)]));
}
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();
function conforms(version: string, method: string, path: string, status: number, body: unknown): void {
  let document = documents.get(version);
  if (!document) {
    document = withoutRefSiblings(
      JSON.parse(readFileSync(new URL(`../spec/sequence/${version}.product.json`, import.meta.url), 'utf8')),
    ) as Record<string, any>;
    documents.set(version, document);
    ajv.addSchema({ components: document.components }, version);
  }
  const key = `${version} ${method} ${path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const schema = document.paths[path][method].responses[String(status)].content['application/json'].schema;
    const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${version}#/components/`));
    compiled.set(key, (validate = ajv.compile(rooted)));
  }
  expect([key, validate(body) ? [] : validate.errors]).toEqual([key, []]);
}

const address = { line1: '1 Mint Street', town: 'London', postcode: 'E1 8LT', country: 'GB' as const };
/** The older documents declare both headers on every operation; their clients send them per call. */
const H0730 = { Authorization: AUTH, 'Sequence-Version': '2024-07-30' as const };
const H0509 = { Authorization: AUTH, 'Sequence-Version': '2024-05-09' as const };
const H0101 = { Authorization: AUTH, 'Sequence-Version': '2024-01-01' as const };

beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent', strict: true, fixtures: false });
  clients = { '2024-07-30': clientFor('2024-07-30'), '2024-05-09': clientFor('2024-05-09'), '2024-01-01': clientFor('2024-01-01') };
});
afterAll(async () => fake?.close());

describe('customers across versions', () => {
  it('one written under 2024-01-01 reads back under 2024-07-30 (as contacts) and 2024-05-09 (as written)', async () => {
    const made = await v0101.postCustomers({
      client: clients['2024-01-01'],
      headers: H0101,
      body: {
        legalName: 'Ledger 2024 Ltd',
        email: 'ap@ledger.example',
        billingEmails: ['ap@ledger.example', 'cfo@ledger.example'],
        address,
      },
    });
    expect([made.response.status, made.response.headers.get('sequence-version')]).toEqual([201, '2024-01-01']);
    conforms('2024-01-01', 'post', '/customers', 201, made.data);
    // 2024-01-01 wraps the new customer; taxStatus defaults to TAXED, as its document says.
    const id = made.data!.customer.id;
    expect(made.data!.customer).toMatchObject({ legalName: 'Ledger 2024 Ltd', email: 'ap@ledger.example', taxStatus: 'TAXED' });

    const now = await current.getCustomersById({ client: clients['2024-07-30'], headers: H0730, path: { id } });
    conforms('2024-07-30', 'get', '/customers/{id}', 200, now.data);
    expect(now.data!.contacts.map((c) => [c.email, c.billingPreference])).toEqual([
      ['ap@ledger.example', 'PRIMARY'],
      ['cfo@ledger.example', 'STANDARD'],
    ]);

    const mid = await v0509.getCustomersById({ client: clients['2024-05-09'], headers: H0509, path: { id } });
    conforms('2024-05-09', 'get', '/customers/{id}', 200, mid.data);
    expect(mid.data).toMatchObject({ id, email: 'ap@ledger.example', billingEmails: ['ap@ledger.example', 'cfo@ledger.example'] });
    expect(mid.data).not.toHaveProperty('contacts');
    // The check can fail: the current shape is not 2024-05-09's (no email; contacts it does not know).
    expect(() => conforms('2024-05-09', 'get', '/customers/{id}', 200, now.data)).toThrow();
  });

  it('one written under 2024-07-30 reads back under both older versions, and a telephone sent under 2024-05-09 is kept', async () => {
    const made = await current.postCustomers({
      client: clients['2024-07-30'],
      headers: H0730,
      body: {
        legalName: 'Modern Ltd',
        address,
        taxStatus: 'TAX_EXEMPT',
        contacts: [
          { name: 'Mo', email: 'mo@modern.example', billingPreference: 'PRIMARY' },
          { name: 'Ops', email: 'ops@modern.example', billingPreference: 'NONE' },
        ],
      },
    });
    expect(made.response.status).toBe(201);
    const id = made.data!.id;
    for (const [version, read] of [
      ['2024-05-09', () => v0509.getCustomersById({ client: clients['2024-05-09'], headers: H0509, path: { id } })],
      ['2024-01-01', () => v0101.getCustomersById({ client: clients['2024-01-01'], headers: H0101, path: { id } })],
    ] as const) {
      const { data, response } = await read();
      expect(response.status).toBe(200);
      conforms(version, 'get', '/customers/{id}', 200, data);
      // The PRIMARY contact is the email and the contact name; a contact taking no bills is not a billing email.
      expect(data).toMatchObject({
        email: 'mo@modern.example',
        contactName: 'Mo',
        billingEmails: ['mo@modern.example'],
        taxStatus: 'TAX_EXEMPT',
      });
    }
    const listed = await v0101.getCustomers({ client: clients['2024-01-01'], headers: H0101, query: { limit: 50 } });
    conforms('2024-01-01', 'get', '/customers', 200, listed.data);
    expect(listed.data!.items.find((c) => c.id === id)).toMatchObject({ email: 'mo@modern.example', externalIds: [] });

    const older = await v0509.postCustomers({
      client: clients['2024-05-09'],
      headers: H0509,
      body: {
        legalName: 'Phone Co',
        email: 'a@phone.example',
        billingEmails: [],
        telephone: '+44 20 7946 0000',
        address,
        taxStatus: 'TAXED',
      },
    });
    expect(older.response.status).toBe(201);
    const back = await v0509.getCustomersById({ client: clients['2024-05-09'], headers: H0509, path: { id: older.data!.id } });
    expect(back.data).toMatchObject({ telephone: '+44 20 7946 0000', email: 'a@phone.example' });
    // The current version has no telephone: it is not in its answer.
    const modern = await current.getCustomersById({ client: clients['2024-07-30'], headers: H0730, path: { id: older.data!.id } });
    expect(modern.data).not.toHaveProperty('telephone');
  });
});

async function plan(amount: string): Promise<string> {
  const product = await current.postProducts({
    client: clients['2024-07-30'],
    headers: H0730,
    body: { name: `Plan ${amount}`, label: 'plan' },
  });
  const price = await current.postPrices({
    client: clients['2024-07-30'],
    headers: H0730,
    body: {
      productId: product.data!.id,
      name: `Plan ${amount}`,
      currency: 'GBP',
      billingFrequency: 'MONTHLY',
      billingType: 'IN_ADVANCE',
      structure: { pricingType: 'FIXED', price: amount },
    },
  });
  expect(price.response.status).toBe(201);
  return price.data!.id;
}

async function customerId(): Promise<string> {
  const made = await current.postCustomers({
    client: clients['2024-07-30'],
    headers: H0730,
    body: {
      legalName: 'Scheduled Ltd',
      address,
      taxStatus: 'TAXED',
      contacts: [{ name: 'S', email: 's@s.example', billingPreference: 'PRIMARY' }],
    },
  });
  return made.data!.id;
}

describe('billing schedules across versions', () => {
  it("a 2024-01-01 schedule made from priceIds is one phase of those prices under 2024-07-30, and 2024-05-09's shape", async () => {
    const priceId = await plan('25.00');
    const made = await v0101.postBillingSchedules({
      client: clients['2024-01-01'],
      headers: H0101,
      body: {
        type: 'CUSTOM',
        customerId: await customerId(),
        startDate: '2026-01-01',
        autoIssueInvoices: false,
        createAsDraft: false,
        priceIds: [priceId],
      },
    });
    expect(made.response.status).toBe(201);
    conforms('2024-01-01', 'post', '/billing-schedules', 201, made.data);
    expect(made.data).toMatchObject({ priceIds: [priceId], type: 'CUSTOM', status: 'ACTIVE' });
    const billingScheduleId = made.data!.id;

    const now = await current.getBillingSchedulesByBillingScheduleId({
      client: clients['2024-07-30'],
      headers: H0730,
      path: { billingScheduleId },
    });
    conforms('2024-07-30', 'get', '/billing-schedules/{billingScheduleId}', 200, now.data);
    expect(now.data!.phases.map((p) => [p.priceIds, p.startDate])).toEqual([[[priceId], '2026-01-01']]);
    expect(now.data!.prices.map((p) => [p.id, p.structure])).toEqual([[priceId, { pricingType: 'FIXED', price: '25.00' }]]);

    const mid = await v0509.getBillingSchedulesByBillingScheduleId({
      client: clients['2024-05-09'],
      headers: H0509,
      path: { billingScheduleId },
    });
    conforms('2024-05-09', 'get', '/billing-schedules/{billingScheduleId}', 200, mid.data);
    expect(mid.data).toMatchObject({ id: billingScheduleId, priceIds: [priceId], status: 'ACTIVE' });
  });

  it('a 2024-07-30 schedule reads back under 2024-05-09 and 2024-01-01 with its priceIds', async () => {
    const priceId = await plan('40.00');
    const made = await current.postBillingSchedules({
      client: clients['2024-07-30'],
      headers: H0730,
      body: {
        customerId: await customerId(),
        startDate: '2026-02-01',
        taxRates: [],
        autoIssueInvoices: true,
        isDraft: true,
        rollUpBilling: false,
        phases: [{ priceIds: [priceId], startDate: '2026-02-01' }],
      },
    });
    const billingScheduleId = made.data!.id;
    for (const [version, read] of [
      [
        '2024-05-09',
        () => v0509.getBillingSchedulesByBillingScheduleId({ client: clients['2024-05-09'], headers: H0509, path: { billingScheduleId } }),
      ],
      [
        '2024-01-01',
        () => v0101.getBillingSchedulesByBillingScheduleId({ client: clients['2024-01-01'], headers: H0101, path: { billingScheduleId } }),
      ],
    ] as const) {
      const { data } = await read();
      conforms(version, 'get', '/billing-schedules/{billingScheduleId}', 200, data);
      expect(data).toMatchObject({
        id: billingScheduleId,
        status: 'DRAFT',
        startDate: '2026-02-01',
        priceIds: [priceId],
        autoIssueInvoices: true,
      });
    }
  });
});

describe('invoices across versions', () => {
  it('one made under 2024-05-09 with lines added under 2024-01-01 reads back under each, with totals computed once', async () => {
    const customer = await customerId();
    const made = await v0509.postInvoices({
      client: clients['2024-05-09'],
      headers: H0509,
      body: { customerId: customer, currency: 'GBP' },
    });
    expect(made.response.status).toBe(201);
    conforms('2024-05-09', 'post', '/invoices', 201, made.data);
    const id = made.data!.id;
    const line = await v0101.postInvoicesByInvoiceLineItems({
      client: clients['2024-01-01'],
      headers: H0101,
      path: { invoice: id },
      body: { title: 'Seats', quantity: '3', rate: '12.50', taxRate: '0.2', externalIds: [] },
    });
    expect(line.response.status).toBe(201);
    // 3 x 12.50 = 37.50 net; 20% is 7.50; 45.00 gross.
    for (const [version, read] of [
      ['2024-07-30', () => current.getInvoicesById({ client: clients['2024-07-30'], headers: H0730, path: { id } })],
      ['2024-05-09', () => v0509.getInvoicesById({ client: clients['2024-05-09'], headers: H0509, path: { id } })],
      ['2024-01-01', () => v0101.getInvoicesById({ client: clients['2024-01-01'], headers: H0101, path: { id } })],
    ] as const) {
      const { data } = await read();
      conforms(version, 'get', '/invoices/{id}', 200, data);
      expect(data).toMatchObject({ id, customerId: customer, status: 'DRAFT', netTotal: '37.50', totalTax: '7.50', grossTotal: '45.00' });
    }
    const listed = await v0101.getInvoices({ client: clients['2024-01-01'], headers: H0101, query: { customerId: customer } });
    conforms('2024-01-01', 'get', '/invoices', 200, listed.data);
    expect(listed.data!.items.map((i) => [i.id, i.grossTotal])).toEqual([[id, '45.00']]);
  });
});

describe('invoices the other way', () => {
  it('one made under 2024-07-30 and finalized reads back under 2024-05-09 and 2024-01-01, numbered and totalled', async () => {
    const customer = await customerId();
    const made = await current.postInvoices({
      client: clients['2024-07-30'],
      headers: H0730,
      body: { customerId: customer, currency: 'EUR' },
    });
    const id = made.data!.id;
    await current.postInvoicesByInvoiceLineItems({
      client: clients['2024-07-30'],
      headers: H0730,
      path: { invoice: id },
      body: { title: 'Support', quantity: '1', rate: '99.99', taxRate: '0.21', externalIds: [] },
    });
    const final = await current.postInvoicesByIdFinalize({ client: clients['2024-07-30'], headers: H0730, path: { id } });
    expect(final.response.status).toBe(200);
    // 99.99 at 21% is 20.9979, 21.00 to the cent: 120.99 gross.
    for (const [version, read] of [
      ['2024-05-09', () => v0509.getInvoicesById({ client: clients['2024-05-09'], headers: H0509, path: { id } })],
      ['2024-01-01', () => v0101.getInvoicesById({ client: clients['2024-01-01'], headers: H0101, path: { id } })],
    ] as const) {
      const { data } = await read();
      conforms(version, 'get', '/invoices/{id}', 200, data);
      expect(data).toMatchObject({
        id,
        status: 'FINAL',
        invoiceNumber: final.data!.invoiceNumber,
        currency: 'EUR',
        netTotal: '99.99',
        totalTax: '21.00',
        grossTotal: '120.99',
      });
    }
  });
});

describe('the journal', () => {
  it('records the version each request was answered in', async () => {
    await v0509.getCustomers({ client: clients['2024-05-09'], headers: H0509, query: { limit: 1 } });
    await current.getCustomers({ client: clients['2024-07-30'], headers: H0730, query: { limit: 1 } });
    const res = await fetch(`${fake.url}/__admin/requests?path=%2Fcustomers&method=GET&limit=2`, { headers: { Authorization: AUTH } });
    const { items } = (await res.json()) as { items: { version: string }[] };
    expect(items.map((entry) => entry.version)).toEqual(['2024-07-30', '2024-05-09']);
  });
});

describe("each version's own operations", () => {
  it('answers an operation only the older versions have, and 404s one a version does not have', async () => {
    const plans = await v0101.getPlans({ client: clients['2024-01-01'], headers: H0101 });
    expect(plans.response.status).toBe(200);
    conforms('2024-01-01', 'get', '/plans', 200, plans.data);
    // /plans is not in 2024-07-30; duplicating a schedule is not in 2024-05-09.
    const asCurrent = await fetch(`${fake.url}/api/plans`, { headers: { Authorization: AUTH } });
    expect(asCurrent.status).toBe(404);
    const duplicate = await fetch(`${fake.url}/api/billing-schedules/${crypto.randomUUID()}/duplicate`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Sequence-Version': '2024-05-09', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customerId: crypto.randomUUID() }),
    });
    expect(duplicate.status).toBe(404);
  });

  it("validates a request by the version's document: 2024-05-09 requires an email, 2024-07-30 contacts", async () => {
    const old = await fetch(`${fake.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Sequence-Version': '2024-05-09', 'Content-Type': 'application/json' },
      body: JSON.stringify({ legalName: 'No Email', address, taxStatus: 'TAXED', billingEmails: [] }),
    });
    const oldBody = (await old.json()) as { error: { errors: { path: string }[] } };
    expect([old.status, oldBody.error.errors.map((e) => e.path)]).toEqual([400, ['/body/email']]);
    const now = await fetch(`${fake.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ legalName: 'No Contacts', address, taxStatus: 'TAXED', email: 'x@x.example', billingEmails: [] }),
    });
    const nowBody = (await now.json()) as { error: { errors: { path: string }[] } };
    expect([now.status, nowBody.error.errors.map((e) => e.path)]).toEqual([400, ['/body/contacts']]);
  });
});
