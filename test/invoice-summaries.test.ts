// GET /invoices/summary and /invoices/list-summary answer the partition's own invoices, with totals
// worked out by hand here from their lines. Strict mode.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const api = (auth: string) => ({
  get: (path: string) => request(app).get(`/api${path}`).set('Authorization', auth),
  post: (path: string, body?: object) => request(app).post(`/api${path}`).set('Authorization', auth).send(body),
});

async function invoiceWith(auth: string, customerId: string, currency: string, lines: [string, string, string][]) {
  const made = await api(auth).post('/invoices', { currency, customerId });
  expect(made.status).toBe(201);
  for (const [quantity, rate, taxRate] of lines) {
    const res = await api(auth).post(`/invoices/${made.body.id}/line-items`, { title: 'l', quantity, rate, taxRate, externalIds: [] });
    expect(res.status).toBe(201);
  }
  return made.body.id as string;
}

describe('invoice summaries', () => {
  it('total gross per currency and list one line per invoice, filtered by customer, status and currency', async () => {
    const auth = freshClient();
    const alice = (await api(auth).post('/customers', minimalRequest({ legalName: 'Alice Ltd' }))).body.id;
    const bob = (await api(auth).post('/customers', minimalRequest({ legalName: 'Bob plc' }))).body.id;
    // Alice GBP: 2 x 10.00 at 20% = 24.00; 1 x 5.55 at 0% = 5.55. Bob GBP: 3 x 1.10 at 10% = 3.30 + 0.33 = 3.63.
    // Bob JPY: 7 x 150 at 8% = 1050 + 84 = 1134.
    const a1 = await invoiceWith(auth, alice, 'GBP', [['2', '10.00', '0.2']]);
    const a2 = await invoiceWith(auth, alice, 'GBP', [['1', '5.55', '0']]);
    const b1 = await invoiceWith(auth, bob, 'GBP', [['3', '1.10', '0.1']]);
    const b2 = await invoiceWith(auth, bob, 'JPY', [['7', '150', '0.08']]);
    expect((await api(auth).post(`/invoices/${a1}/finalize`)).status).toBe(200);

    const all = await api(auth).get('/invoices/summary');
    expect(all.status).toBe(200);
    expect(all.body.totalsByCurrency).toEqual([
      { currency: 'GBP', invoiceCount: 3, grossTotal: 33.18 }, // 24.00 + 5.55 + 3.63
      { currency: 'JPY', invoiceCount: 1, grossTotal: 1134 },
    ]);
    expect((await api(auth).get(`/invoices/summary?customerId=${alice}`)).body.totalsByCurrency).toEqual([
      { currency: 'GBP', invoiceCount: 2, grossTotal: 29.55 },
    ]);
    expect((await api(auth).get('/invoices/summary?invoiceStatus=FINAL')).body.totalsByCurrency).toEqual([
      { currency: 'GBP', invoiceCount: 1, grossTotal: 24 },
    ]);
    expect((await api(auth).get('/invoices/summary?excludeInvoiceCurrency=GBP')).body.totalsByCurrency).toEqual([
      { currency: 'JPY', invoiceCount: 1, grossTotal: 1134 },
    ]);

    const list = await api(auth).get(`/invoices/list-summary?customerId=${bob}&sortOrder=ASC`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => [i.id, i.currency, i.grossTotal, i.customerLegalCompanyName])).toEqual([
      [b1, 'GBP', '3.63', 'Bob plc'],
      [b2, 'JPY', '1134', 'Bob plc'],
    ]);
    expect(list.body.pagination.totalResultSize).toBe(2);
    const finalized = (await api(auth).get('/invoices/list-summary?invoiceStatus=FINAL')).body.items;
    expect(finalized.map((i: any) => [i.id, i.invoiceNumber, i.status])).toEqual([[a1, 'INV00001', 'FINAL']]);
    expect((await api(auth).get('/invoices/list-summary?search=alice')).body.items.map((i: any) => i.id).sort()).toEqual([a1, a2].sort());
    // Pages like every list.
    const first = await api(auth).get('/invoices/list-summary?limit=3&sortOrder=ASC');
    const rest = await api(auth).get(`/invoices/list-summary?limit=3&sortOrder=ASC&after=${first.body.pagination.after}`);
    expect([...first.body.items, ...rest.body.items].map((i: any) => i.id)).toEqual([a1, a2, b1, b2]);
    // Another account has none.
    expect((await api(freshClient()).get('/invoices/summary')).body.totalsByCurrency).toEqual([]);
  });
});
