// Billing schedules as a billing engineer builds them: phases and prices from the request (never
// the document's example), prices that must exist, a duplicate that copies, discounts read back, the
// customer's billingStatus, and what archiving a product or list price changes. Strict mode.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const api = (auth: string) => ({
  get: (path: string) => request(app).get(`/api${path}`).set('Authorization', auth),
  post: (path: string, body?: object) => request(app).post(`/api${path}`).set('Authorization', auth).send(body),
  put: (path: string, body?: object) => request(app).put(`/api${path}`).set('Authorization', auth).send(body),
  delete: (path: string) => request(app).delete(`/api${path}`).set('Authorization', auth),
});

async function catalogue(auth: string) {
  const product = await api(auth).post('/products', { name: 'Seats', label: 'seats' });
  expect(product.status).toBe(201);
  const fixed = await api(auth).post('/prices', {
    productId: product.body.id,
    name: 'Platform fee',
    currency: 'GBP',
    billingFrequency: 'MONTHLY',
    billingType: 'IN_ADVANCE',
    structure: { pricingType: 'FIXED', price: '100.00' },
  });
  expect(fixed.status).toBe(201);
  return { productId: product.body.id as string, priceId: fixed.body.id as string, price: fixed.body };
}

const schedule = (customerId: string, phases: object[], extra: object = {}) => ({
  customerId,
  startDate: '2026-01-01',
  taxRates: [],
  autoIssueInvoices: false,
  isDraft: false,
  rollUpBilling: false,
  phases,
  ...extra,
});

describe('billing schedules keep what was sent', () => {
  it('answers the phases sent, made Phases, and the prices they name', async () => {
    const auth = freshClient();
    const customerId = (await api(auth).post('/customers', minimalRequest())).body.id;
    const { priceId, price } = await catalogue(auth);
    const res = await api(auth).post(
      '/billing-schedules',
      schedule(customerId, [
        {
          name: 'Year one',
          priceIds: [priceId],
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          discounts: [{ type: 'PERCENTAGE', amount: 10, message: '10% off', separateLineItem: false }],
          minimums: [{ amount: 50 }],
        },
      ]),
    );
    expect(res.status).toBe(201);
    const [phase] = res.body.phases;
    expect(res.body.phases).toHaveLength(1);
    expect(phase).toMatchObject({
      name: 'Year one',
      priceIds: [priceId],
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      billingScheduleId: res.body.id,
      creditGrants: [],
      phasePriceMetadata: [],
    });
    expect(phase.discounts).toEqual([
      { id: expect.any(String), type: 'PERCENTAGE', amount: 10, message: '10% off', separateLineItem: false },
    ]);
    expect(phase.minimums).toEqual([
      expect.objectContaining({ amount: 50, phaseId: phase.id, billingScheduleId: res.body.id, restrictToPrices: [] }),
    ]);
    expect(res.body.prices).toEqual([price]);
    // Nothing of the document's example leaks in: no Salesforce integration, no attachment.
    expect([res.body.integrationIds, res.body.attachmentAssets]).toEqual([[], []]);
    expect((await api(auth).get(`/billing-schedules/${res.body.id}`)).body).toEqual(res.body);

    // The discount is the account's own record under /discounts.
    const discount = await api(auth).get(`/discounts/${phase.discounts[0].id}`);
    expect(discount.status).toBe(200);
    expect(discount.body).toMatchObject({
      billingScheduleId: res.body.id,
      phaseId: phase.id,
      priceIds: [priceId],
      amount: 10,
      discountCalculationType: 'PERCENTAGE',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
  });

  it('replaces the phases on an update that sends them, and their discounts with them', async () => {
    const auth = freshClient();
    const customerId = (await api(auth).post('/customers', minimalRequest())).body.id;
    const { priceId } = await catalogue(auth);
    const discounts = [{ type: 'NOMINAL', amount: 5, message: '5 off', separateLineItem: true }];
    const made = await api(auth).post(
      '/billing-schedules',
      schedule(customerId, [{ priceIds: [priceId], startDate: '2026-01-01', discounts }]),
    );
    const oldDiscount = made.body.phases[0].discounts[0].id;
    const { customerId: _c, isDraft: _d, ...update } = schedule(customerId, [{ name: 'Renewal', priceIds: [], startDate: '2027-01-01' }]);
    const res = await api(auth).put(`/billing-schedules/${made.body.id}`, update);
    expect(res.status).toBe(200);
    expect(res.body.phases.map((p: any) => [p.name, p.startDate, p.priceIds])).toEqual([['Renewal', '2027-01-01', []]]);
    expect(res.body.prices).toEqual([]);
    expect((await api(auth).get(`/discounts/${oldDiscount}`)).status).toBe(404);
  });

  it('refuses a phase naming a price the account does not have, naming it, and stores nothing', async () => {
    const auth = freshClient();
    const customerId = (await api(auth).post('/customers', minimalRequest())).body.id;
    const { priceId } = await catalogue(auth);
    const res = await api(auth).post(
      '/billing-schedules',
      schedule(customerId, [{ priceIds: [priceId, 'no-such-price'], startDate: '2026-01-01' }]),
    );
    expect(expectError(res, 400, '/body/phases/0/priceIds/1').message).toContain('no price with id no-such-price');
    expect((await api(auth).get('/billing-schedules')).body.items).toEqual([]);
  });

  it('duplicates into a DRAFT copy for another customer, leaving the original as it was', async () => {
    const auth = freshClient();
    const alice = (await api(auth).post('/customers', minimalRequest({ legalName: 'Alice' }))).body.id;
    const bob = (await api(auth).post('/customers', minimalRequest({ legalName: 'Bob' }))).body.id;
    const { priceId } = await catalogue(auth);
    const discounts = [{ type: 'PERCENTAGE', amount: 20, message: '20%', separateLineItem: false }];
    const original = await api(auth).post(
      '/billing-schedules',
      schedule(alice, [{ priceIds: [priceId], startDate: '2026-01-01', discounts }], { label: 'gold' }),
    );
    const copy = await api(auth).post(`/billing-schedules/${original.body.id}/duplicate`, { customerId: bob });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ customerId: bob, status: 'DRAFT', label: 'gold', startDate: '2026-01-01' });
    expect(copy.body.id).not.toBe(original.body.id);
    expect(copy.body.phases[0]).toMatchObject({ billingScheduleId: copy.body.id, priceIds: [priceId] });
    expect(copy.body.phases[0].id).not.toBe(original.body.phases[0].id);
    expect(copy.body.phases[0].discounts[0].id).not.toBe(original.body.phases[0].discounts[0].id);
    expect((await api(auth).get(`/billing-schedules/${original.body.id}`)).body).toEqual(original.body);
    expect((await api(auth).get('/billing-schedules?sortOrder=ASC')).body.items.map((s: any) => s.customerId)).toEqual([alice, bob]);
    expect((await api(auth).get('/discounts')).body.items.filter((d: any) => d.amount === 20)).toHaveLength(2);

    expectError(
      await api(auth).post(`/billing-schedules/${original.body.id}/duplicate`, { customerId: 'nobody' }),
      400,
      '/body/customerId',
    );
    expectError(
      await api(auth).post(`/billing-schedules/${crypto.randomUUID()}/duplicate`, { customerId: bob }),
      404,
      '/path/billingScheduleId',
    );
  });

  it("makes a customer's billingStatus ACTIVE while one of its schedules is", async () => {
    const auth = freshClient();
    const billed = (await api(auth).post('/customers', minimalRequest({ legalName: 'Billed' }))).body.id;
    const drafted = (await api(auth).post('/customers', minimalRequest({ legalName: 'Drafted' }))).body.id;
    await api(auth).post('/customers', minimalRequest({ legalName: 'Idle' }));
    const active = await api(auth).post('/billing-schedules', schedule(billed, []));
    const draft = await api(auth).post('/billing-schedules', schedule(drafted, [], { isDraft: true }));
    const names = async (status: string) =>
      (await api(auth).get(`/customers?billingStatus=${status}`)).body.items.map((c: any) => c.legalName).sort();
    const inactive = async () => (await names('INACTIVE')).filter((n: string) => ['Billed', 'Drafted', 'Idle'].includes(n));
    expect(await names('ACTIVE')).toEqual(['Billed']);
    expect(await inactive()).toEqual(['Drafted', 'Idle']);

    await api(auth).put(`/billing-schedules/${draft.body.id}/activate`);
    expect(await names('ACTIVE')).toEqual(['Billed', 'Drafted']);
    await api(auth).post(`/billing-schedules/${active.body.id}/archive`);
    expect(await names('ACTIVE')).toEqual(['Drafted']);
    expect((await api(auth).get('/customers?billingStatus=ACTIVE')).body.pagination.totalResultSize).toBe(1);
  });
});

describe('archiving a product or a list price', () => {
  it('refuses new prices for an archived product, naming productId; existing prices stay', async () => {
    const auth = freshClient();
    const { productId, priceId } = await catalogue(auth);
    expect((await api(auth).post(`/products/${productId}/archive`)).status).toBe(200);
    const res = await api(auth).post('/prices', {
      productId,
      name: 'Late',
      currency: 'GBP',
      billingFrequency: 'MONTHLY',
      billingType: 'IN_ADVANCE',
      structure: { pricingType: 'FIXED', price: '1.00' },
    });
    expect(expectError(res, 400, '/body/productId').message).toContain('archived');
    expect((await api(auth).get(`/prices/${priceId}`)).status).toBe(200);
    expectError(
      await api(auth).post('/prices', {
        productId: 'none',
        name: 'x',
        currency: 'GBP',
        billingFrequency: 'MONTHLY',
        billingType: 'IN_ADVANCE',
        structure: { pricingType: 'FIXED', price: '1.00' },
      }),
      400,
      '/body/productId',
    );
  });

  it('leaves an archived list price out of the list unless includeArchived=true', async () => {
    const auth = freshClient();
    const { productId } = await catalogue(auth);
    const listPrice = async (name: string) => {
      const res = await api(auth).post('/list-prices', {
        productId,
        name,
        currency: 'GBP',
        billingFrequency: 'MONTHLY',
        billingType: 'IN_ADVANCE',
        structure: { pricingType: 'FIXED', price: '10.00' },
        customMetricParameters: [],
        integrationIds: [],
      });
      expect([res.status, res.body]).toEqual([201, expect.anything()]);
      return res.body.id as string;
    };
    const kept = await listPrice('kept');
    const archived = await listPrice('archived');
    expect((await api(auth).post(`/list-prices/${archived}/archive`)).status).toBe(200);
    expect((await api(auth).get('/list-prices')).body.items.map((p: any) => p.id)).toEqual([kept]);
    const all = (await api(auth).get('/list-prices?includeArchived=true')).body.items.map((p: any) => p.id);
    expect(all.sort()).toEqual([kept, archived].sort());
    expect((await api(auth).get(`/list-prices/${archived}`)).status).toBe(200);
  });
});
