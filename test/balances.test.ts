// Seat balances from seat events and credit balances from grants, read back as a billing test reads
// them, with every figure worked out by hand here. Strict mode.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const api = (auth: string) => ({
  get: (path: string) => request(app).get(`/api${path}`).set('Authorization', auth),
  post: (path: string, body?: object) => request(app).post(`/api${path}`).set('Authorization', auth).send(body),
  delete: (path: string) => request(app).delete(`/api${path}`).set('Authorization', auth),
});

async function customer(auth: string, legalName: string, alias: string): Promise<string> {
  const res = await api(auth).post('/customers', minimalRequest({ legalName, customerAliases: [alias] }));
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('seat balances', () => {
  it('are the latest total per seat type after adds and removes, summed per customer', async () => {
    const auth = freshClient();
    const acme = await customer(auth, 'Acme', 'acme');
    const globex = await customer(auth, 'Globex', 'globex');
    const seat = (customerAlias: string, seatType: string, total: number, eventTimestamp: string, customerEventId?: string) =>
      api(auth).post('/seat-events', { customerAlias, seatType, total, eventTimestamp, ...(customerEventId && { customerEventId }) });
    // Acme: 5 admin seats, then 8 (three added), then 6 (two removed); 10 viewer seats sent under its id.
    for (const res of [
      await seat('acme', 'admin', 5, '2026-01-01T00:00:00Z'),
      await seat('acme', 'admin', 8, '2026-01-10T00:00:00Z'),
      await seat('acme', 'admin', 6, '2026-01-20T00:00:00Z'),
      await seat(acme, 'viewer', 10, '2026-01-05T00:00:00Z'),
      // Sent late but older: it does not change the level.
      await seat('acme', 'admin', 99, '2025-12-01T00:00:00Z'),
      // Globex: 3, then the same event sent again corrected to 0.
      await seat('globex', 'admin', 3, '2026-01-02T00:00:00Z', 'g-1'),
      await seat('globex', 'admin', 0, '2026-01-02T00:00:00Z', 'g-1'),
      // Nobody has this alias yet: counted for nobody.
      await seat('later', 'admin', 4, '2026-01-02T00:00:00Z'),
    ])
      expect(res.status).toBe(201);

    const all = await api(auth).get('/seat-balances');
    expect(all.status).toBe(200);
    const acmeBalance = all.body.items.find((i: any) => i.id === acme);
    expect(acmeBalance).toMatchObject({
      legalName: 'Acme',
      customerAliases: ['acme'],
      total: 16, // 6 admin + 10 viewer
      changeTimestamp: '2026-01-20T00:00:00Z',
      balances: [
        { seatType: 'admin', total: 6, changeTimestamp: '2026-01-20T00:00:00Z' },
        { seatType: 'viewer', total: 10, changeTimestamp: '2026-01-05T00:00:00Z' },
      ],
    });
    expect(all.body.items.find((i: any) => i.id === globex)).toMatchObject({ total: 0, balances: [{ seatType: 'admin', total: 0 }] });
    expect(all.body.items).toHaveLength(2);

    expect((await api(auth).get('/seat-balances?excludeZeroQuantity=true')).body.items.map((i: any) => i.id)).toEqual([acme]);
    expect((await api(auth).get('/seat-balances?customerAliases=globex')).body.items.map((i: any) => i.id)).toEqual([globex]);
    expect((await api(auth).get(`/seat-balances?customerIds=${acme}`)).body.items.map((i: any) => i.id)).toEqual([acme]);
    // Another account sees none of it.
    expect((await api(freshClient()).get('/seat-balances')).body.items).toEqual([]);
  });
});

describe('credit balances and grants', () => {
  const grant = (customerId: string, fields: object) => ({
    sequenceAccountId: 'ignored',
    customerId,
    name: 'Credits',
    creditUnitType: 'CURRENCY',
    currency: 'GBP',
    ...fields,
  });

  it("group a customer's grants by currency and metric, and drop expired ones from the balance", async () => {
    const auth = freshClient();
    const id = await customer(auth, 'Acme', 'acme-credit');
    const other = await customer(auth, 'Other', 'other-credit');
    const metric = await api(auth).post('/usage-metrics', {
      name: 'API calls',
      metricType: 'GROUPED',
      aggregationType: 'COUNT',
      eventType: 'api_call',
      parameters: [],
    });
    expect(metric.status).toBe(201);
    const made = [
      await api(auth).post('/credits', grant(id, { name: 'Welcome', amount: 100.5, effectiveDate: '2026-01-01' })),
      await api(auth).post('/credits', grant(id, { name: 'Top-up', amount: 49.5, costOfCredit: 40, effectiveDate: '2026-02-01' })),
      await api(auth).post('/credits', grant(id, { name: 'Old', amount: 30, effectiveDate: '2020-01-01', expiryDate: '2020-12-31' })),
      await api(auth).post('/credits', grant(id, { name: 'Yen', currency: 'JPY', amount: 1000 })),
      await api(auth).post('/credits', grant(id, { name: 'Calls', creditUnitType: 'METRIC', metricId: metric.body.id, amount: 500 })),
      await api(auth).post('/credits', grant(other, { name: 'Not Acme', amount: 7 })),
    ];
    for (const res of made) expect(res.status).toBe(201);

    const res = await api(auth).get(`/credits/${id}/balances`);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.items.map((b: any) => [b.id, b]));
    // GBP: 100.50 + 49.50 + 0 (expired) = 150.00
    expect(byId.GBP).toMatchObject({ type: 'CASH', name: 'GBP', balance: '150.00' });
    expect(byId.GBP.grants.map((g: any) => [g.name, g.originalAmount, g.currentBalance])).toEqual([
      ['Welcome', '100.50', '100.50'],
      ['Top-up', '49.50', '49.50'],
      ['Old', '30.00', '0.00'],
    ]);
    expect(byId.GBP.transactions.filter((t: any) => t.type === 'DEBIT')).toEqual([
      expect.objectContaining({ grantId: made[2]!.body.id, amount: '30.00', date: '2020-12-31' }),
    ]);
    expect(byId.JPY).toMatchObject({ type: 'CASH', balance: '1000' });
    expect(byId[metric.body.id]).toMatchObject({ type: 'USAGE', name: 'API calls', balance: '500' });
    expect(Object.keys(byId)).toHaveLength(3);

    const grants = await api(auth).get(`/credits/${id}/grants`);
    expect(grants.body.items.map((g: any) => [g.name, g.balance])).toEqual([
      ['Welcome', 100.5],
      ['Top-up', 49.5],
      ['Yen', 1000],
      ['Calls', 500],
    ]);

    // A deleted grant leaves the balance.
    expect((await api(auth).delete(`/credits/${made[0]!.body.id}`)).status).toBe(200);
    expect((await api(auth).get(`/credits/${id}/balances`)).body.items.find((b: any) => b.id === 'GBP').balance).toBe('49.50');
    expectError(await api(auth).get(`/credits/${crypto.randomUUID()}/balances`), 404, '/path/customerId');
  });
});
