// Invoices and credit notes that bill: totals computed from their lines in each currency's minor
// units, and the documented lifecycles with every refused transition. Every number below was worked
// out by hand (shown next to it); the app runs strict, so every answer is checked against the document.
import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
let auth = '';
let customerId = '';

beforeAll(async () => {
  auth = freshClient();
  const customer = await request(app).post('/customers').set('Authorization', auth).send(minimalRequest());
  expect(customer.status).toBe(201);
  customerId = customer.body.id;
});

async function invoice(currency: string): Promise<string> {
  const res = await request(app).post('/invoices').set('Authorization', auth).send({ currency, customerId });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function line(invoiceId: string, quantity: string, rate: string, taxRate: string) {
  return request(app)
    .post(`/invoices/${invoiceId}/line-items`)
    .set('Authorization', auth)
    .send({ title: `${quantity} x ${rate}`, quantity, rate, taxRate, externalIds: [] });
}

const read = (id: string) => request(app).get(`/invoices/${id}`).set('Authorization', auth);
const act = (id: string, action: string) => request(app).post(`/invoices/${id}/${action}`).set('Authorization', auth);

describe('money', () => {
  it('a new invoice is DRAFT, UNPAID, with no credit notes, and totals of 0.00 without lines', async () => {
    const id = await invoice('GBP');
    const res = await read(id);
    expect(res.body).toMatchObject({
      status: 'DRAFT',
      paymentStatus: 'UNPAID',
      creditNoteIds: [],
      netTotal: '0.00',
      totalTax: '0.00',
      grossTotal: '0.00',
    });
    // Billed to its customer, not to the document's example company.
    const customer = (await request(app).get(`/customers/${customerId}`).set('Authorization', auth)).body;
    expect(res.body).toMatchObject({ customerLegalCompanyName: customer.legalName, customerBillingAddress: customer.address });
    expect(res.body.customerLegalCompanyName).not.toBe('Facebook');
  });

  it('a 3-line GBP invoice with two tax rates: each line rounded half up to pence, the invoice their sum', async () => {
    const id = await invoice('GBP');
    // 2 x 10.00 = 20.00; tax 20% = 4.00; gross 24.00
    expect((await line(id, '2', '10.00', '0.2')).body).toMatchObject({ netTotal: '20.00', totalTax: '4.00', grossTotal: '24.00' });
    // 3 x 19.99 = 59.97; tax 20% = 11.994 -> 11.99; gross 71.96
    expect((await line(id, '3', '19.99', '0.2')).body).toMatchObject({ netTotal: '59.97', totalTax: '11.99', grossTotal: '71.96' });
    // 1 x 5.555 = 5.555 -> 5.56 (half up); tax 5% of 5.56 = 0.278 -> 0.28; gross 5.84
    expect((await line(id, '1', '5.555', '0.05')).body).toMatchObject({ netTotal: '5.56', totalTax: '0.28', grossTotal: '5.84' });
    // 20.00 + 59.97 + 5.56 = 85.53; 4.00 + 11.99 + 0.28 = 16.27; 24.00 + 71.96 + 5.84 = 101.80
    expect((await read(id)).body).toMatchObject({ netTotal: '85.53', totalTax: '16.27', grossTotal: '101.80' });
    const listed = await request(app).get('/invoices?limit=100').set('Authorization', auth);
    expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ netTotal: '85.53', grossTotal: '101.80' });
  });

  it('a JPY invoice has no minor units: 3 x 333.5 = 1000.5 -> 1001, tax 10% = 100.1 -> 100', async () => {
    const id = await invoice('JPY');
    expect((await line(id, '3', '333.5', '0.1')).body).toMatchObject({ netTotal: '1001', totalTax: '100', grossTotal: '1101' });
    expect((await read(id)).body).toMatchObject({ netTotal: '1001', totalTax: '100', grossTotal: '1101' });
  });

  it('a line changed or removed changes the totals', async () => {
    const id = await invoice('GBP');
    const first = await line(id, '1', '10.00', '0');
    await line(id, '1', '5.00', '0');
    const changed = await request(app)
      .put(`/invoices/${id}/line-items/${first.body.id}`)
      .set('Authorization', auth)
      .send({ title: 'more', quantity: '4', rate: '10.00', taxRate: '0.5', externalIds: [] });
    expect(changed.status).toBe(200);
    // 4 x 10.00 = 40.00, tax 50% = 20.00, gross 60.00; plus 5.00 untaxed
    expect(changed.body).toMatchObject({ netTotal: '40.00', totalTax: '20.00', grossTotal: '60.00' });
    expect((await read(id)).body).toMatchObject({ netTotal: '45.00', totalTax: '20.00', grossTotal: '65.00' });
    expect((await request(app).delete(`/invoices/${id}/line-items/${first.body.id}`).set('Authorization', auth)).status).toBe(200);
    expect((await read(id)).body).toMatchObject({ netTotal: '5.00', totalTax: '0.00', grossTotal: '5.00' });
  });
});

describe('line item groups', () => {
  it('total the lines that name them: 2 x 10.00 @ 20% and 1 x 5.00 @ 0% -> 25.00 / 4.00 / 29.00; a line elsewhere does not count', async () => {
    const id = await invoice('GBP');
    const group = await request(app).post(`/invoices/${id}/line-item-groups`).set('Authorization', auth).send({ title: 'Seats' });
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ netTotal: '0.00', totalTax: '0.00', grossTotal: '0.00' });
    const inGroup = (quantity: string, rate: string, taxRate: string) =>
      request(app)
        .post(`/invoices/${id}/line-items`)
        .set('Authorization', auth)
        .send({ title: 'seat', quantity, rate, taxRate, externalIds: [], groupId: group.body.id });
    expect((await inGroup('2', '10.00', '0.2')).status).toBe(201);
    expect((await inGroup('1', '5.00', '0')).status).toBe(201);
    await line(id, '1', '100.00', '0'); // no group
    const listed = await request(app).get(`/invoices/${id}/line-item-groups`).set('Authorization', auth);
    expect(listed.body.items[0]).toMatchObject({ netTotal: '25.00', totalTax: '4.00', grossTotal: '29.00' });
    // The invoice totals every line: 25.00 + 100.00 net, 4.00 tax, 129.00 gross.
    expect((await read(id)).body).toMatchObject({ netTotal: '125.00', totalTax: '4.00', grossTotal: '129.00' });
  });
});

describe('the invoice lifecycle', () => {
  it('DRAFT -> FINAL (numbered, no more editing) -> SENT -> VOIDED while UNPAID', async () => {
    const id = await invoice('GBP');
    await line(id, '1', '100.00', '0.2');
    const final = await act(id, 'finalize');
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ status: 'FINAL', invoiceNumber: expect.stringMatching(/^INV\d{5}$/) });
    const edit = await request(app).put(`/invoices/${id}`).set('Authorization', auth).send({ memo: 'too late' });
    expect(edit.status).toBe(400);
    expect(edit.body.error.errors).toEqual([
      { path: '/path/id', message: 'is FINAL: an invoice can be edited only while IN_PROGRESS or DRAFT' },
    ]);
    const newLine = await line(id, '1', '1.00', '0');
    expect(newLine.status).toBe(400);
    expect(newLine.body.error.errors[0].message).toMatch(/^is FINAL/);
    expect((await read(id)).body).toMatchObject({ netTotal: '100.00', grossTotal: '120.00' });
    expect((await act(id, 'send')).body.status).toBe('SENT');
    expect((await act(id, 'void')).body.status).toBe('VOIDED');
  });

  it('numbers invoices one after another, and keeps a number once given', async () => {
    const a = await invoice('GBP');
    const b = await invoice('GBP');
    const first = (await act(a, 'finalize')).body.invoiceNumber as string;
    const second = (await act(b, 'mark-as-sent')).body;
    expect(second.status).toBe('SENT');
    expect(Number(second.invoiceNumber.slice(3))).toBe(Number(first.slice(3)) + 1);
    expect((await act(a, 'send')).body.invoiceNumber).toBe(first);
  });

  it('finalize-and-send goes from DRAFT to SENT; mark-as-sent from FINAL too', async () => {
    const a = await invoice('GBP');
    expect((await act(a, 'finalize-and-send')).body.status).toBe('SENT');
    const b = await invoice('GBP');
    await act(b, 'finalize');
    expect((await act(b, 'mark-as-sent')).body.status).toBe('SENT');
  });

  it.each([
    ['send', [], 'DRAFT'],
    ['finalize', ['finalize'], 'FINAL'],
    ['finalize-and-send', ['finalize'], 'FINAL'],
    ['draft', ['finalize'], 'FINAL'],
    ['mark-as-sent', ['finalize-and-send'], 'SENT'],
    ['void', ['void'], 'VOIDED'],
    ['finalize', ['void'], 'VOIDED'],
    ['send', ['finalize', 'send'], 'SENT'],
  ])('refuses %s after %j: a 400 naming the current status (%s), nothing changed', async (action, before, status) => {
    const id = await invoice('GBP');
    for (const step of before) expect((await act(id, step)).status).toBe(200);
    const res = await act(id, action);
    expect(res.status).toBe(400);
    expect(res.body.error.errors).toEqual([
      { path: '/path/id', message: expect.stringMatching(new RegExp(`^is ${status}: ${action} needs an? [A-Z_, ]+ invoice$`)) },
    ]);
    expect((await read(id)).body.status).toBe(status);
  });

  it('refuses to void a SENT invoice once PAID, and voids it while UNCOLLECTIBLE', async () => {
    const id = await invoice('GBP');
    await act(id, 'finalize-and-send');
    const paid = await request(app).put(`/invoices/${id}/payment-status`).set('Authorization', auth).send({ paymentStatus: 'PAID' });
    expect(paid.status).toBe(200);
    const refused = await act(id, 'void');
    expect(refused.status).toBe(400);
    expect(refused.body.error.errors[0].message).toMatch(
      /^is SENT and PAID: a SENT invoice can be voided only if it is UNPAID or UNCOLLECTIBLE$/,
    );
    await request(app).put(`/invoices/${id}/payment-status`).set('Authorization', auth).send({ paymentStatus: 'UNCOLLECTIBLE' });
    expect((await act(id, 'void')).body.status).toBe('VOIDED');
  });
});

describe('credit notes', () => {
  it('start DRAFT, total their lines, and finalize to FINAL (numbered CN...), then SENT', async () => {
    const made = await request(app).post('/credit-notes').set('Authorization', auth).send({ currency: 'EUR', customerId });
    expect(made.status).toBe(201);
    expect(made.body.status).toBe('DRAFT');
    const id = made.body.id as string;
    const added = await request(app)
      .post(`/credit-notes/${id}/line-items`)
      .set('Authorization', auth)
      .send({ creditNoteId: id, title: 'refund', quantity: '2', rate: '12.345', taxRate: '0.21', externalIds: [] });
    // 2 x 12.345 = 24.69; tax 21% = 5.1849 -> 5.18; gross 29.87
    expect(added.body).toMatchObject({ netTotal: '24.69', totalTax: '5.18', grossTotal: '29.87' });
    const final = await request(app).post(`/credit-notes/${id}/finalize`).set('Authorization', auth);
    expect(final.body).toMatchObject({ status: 'FINAL', netTotal: '24.69', totalTax: '5.18', grossTotal: '29.87' });
    expect(final.body.creditNoteNumber).toMatch(/^CN\d{5}$/);
    const again = await request(app).post(`/credit-notes/${id}/finalize`).set('Authorization', auth);
    expect(again.status).toBe(400);
    expect((await request(app).post(`/credit-notes/${id}/send`).set('Authorization', auth)).body.status).toBe('SENT');
  });
});

describe('credit-note applications', () => {
  async function finalDocument(kind: 'invoices' | 'credit-notes', quantity: string, rate: string, taxRate: string, currency = 'GBP') {
    const made = await request(app).post(`/${kind}`).set('Authorization', auth).send({ currency, customerId });
    const id = made.body.id as string;
    const lineBody = { title: 'line', quantity, rate, taxRate, externalIds: [], ...(kind === 'credit-notes' && { creditNoteId: id }) };
    expect((await request(app).post(`/${kind}/${id}/line-items`).set('Authorization', auth).send(lineBody)).status).toBe(201);
    expect((await request(app).post(`/${kind}/${id}/finalize`).set('Authorization', auth)).status).toBe(200);
    return id;
  }
  const apply = (body: Record<string, unknown>) => request(app).post('/credit-note-applications').set('Authorization', auth).send(body);

  it('applies part of a credit note, moves both balances and versions, and refuses a stale version with the 409', async () => {
    const invoiceId = await finalDocument('invoices', '1', '100.00', '0.2'); // gross 120.00
    const creditNoteId = await finalDocument('credit-notes', '1', '25.00', '0.2'); // gross 30.00
    expect((await read(invoiceId)).body).toMatchObject({ balance: '120.00', balanceVersion: 0 });
    const first = await apply({
      creditNoteId,
      invoiceId,
      amount: 20,
      currency: 'GBP',
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    });
    expect(first.status).toBe(201);
    // 120.00 - 20 = 100; 30.00 - 20 = 10
    expect(first.body).toMatchObject({
      creditNoteId,
      invoiceId,
      amount: 20,
      currency: 'GBP',
      invoiceBalance: { value: 100, currency: 'GBP', version: 1 },
      creditNoteBalance: { value: 10, currency: 'GBP', version: 1 },
    });
    const afterFirst = (await read(invoiceId)).body;
    expect(afterFirst).toMatchObject({
      balance: '100.00',
      balanceVersion: 1,
      paymentStatus: 'PARTIALLY_PAID',
      creditNoteIds: [creditNoteId],
    });
    // The credit note applied, with its own totals (1 x 25.00 @ 20%) and its line.
    expect(afterFirst.appliedCreditNotes).toEqual([
      {
        id: creditNoteId,
        creditNoteNumber: expect.stringMatching(/^CN\d{5}$/),
        netTotal: '25.00',
        totalTax: '5.00',
        grossTotal: '30.00',
        lineItems: [{ name: 'line', netTotal: '25.00', grossTotal: '30.00', invoiceLineItemIds: [] }],
      },
    ]);
    const stale = await apply({
      creditNoteId,
      invoiceId,
      amount: 5,
      currency: 'GBP',
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({
      message: 'Balance version mismatch. Re-read current versions and retry.',
      currentInvoiceBalance: { value: 100, currency: 'GBP', version: 1 },
      currentCreditNoteBalance: { value: 10, currency: 'GBP', version: 1 },
    });
    const over = await apply({
      creditNoteId,
      invoiceId,
      amount: 15,
      currency: 'GBP',
      creditNoteBalanceVersion: 1,
      invoiceBalanceVersion: 1,
    });
    expect(over.status).toBe(400);
    expect(over.body.error.errors).toEqual([{ path: '/body/amount', message: "is more than the credit note's balance 10.00" }]);
    const currency = await apply({
      creditNoteId,
      invoiceId,
      amount: 5,
      currency: 'USD',
      creditNoteBalanceVersion: 1,
      invoiceBalanceVersion: 1,
    });
    expect(currency.status).toBe(400);
    expect(currency.body.error.errors[0].path).toBe('/body/currency');
    // The rest of the credit note pays a second invoice of 8.00 + 25% = 10.00 in full.
    const second = await finalDocument('invoices', '1', '8.00', '0.25');
    const full = await apply({
      creditNoteId,
      invoiceId: second,
      amount: 10,
      currency: 'GBP',
      creditNoteBalanceVersion: 1,
      invoiceBalanceVersion: 0,
    });
    expect(full.status).toBe(201);
    expect(full.body.creditNoteBalance).toEqual({ value: 0, currency: 'GBP', version: 2 });
    expect((await read(second)).body).toMatchObject({ balance: '0.00', paymentStatus: 'PAID' });
    const credit = await request(app).get(`/credit-notes/${creditNoteId}`).set('Authorization', auth);
    expect(credit.body).toMatchObject({ balance: '0.00', balanceVersion: 2 });
  });

  it('applies only a FINAL or SENT credit note to a FINAL or SENT invoice of the account', async () => {
    const invoiceId = await finalDocument('invoices', '1', '10.00', '0');
    const draft = await request(app).post('/credit-notes').set('Authorization', auth).send({ currency: 'GBP', customerId });
    const refused = await apply({
      creditNoteId: draft.body.id,
      invoiceId,
      amount: 1,
      currency: 'GBP',
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.errors).toEqual([
      { path: '/body/creditNoteId', message: 'is DRAFT: only a FINAL or SENT credit note is applied' },
    ]);
    const unknown = await apply({
      creditNoteId: draft.body.id,
      invoiceId: crypto.randomUUID(),
      amount: 1,
      currency: 'GBP',
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.errors[0].path).toBe('/body/invoiceId');
  });
});
