// A billing engineer's flow, driven through a client nobody here wrote: swagger-typescript-api's
// `Api` class, generated from Sequence's published document as shipped by `npm run generate:clients`
// (test/clients/, typed by Sequence's own document). customer -> product -> price -> billing schedule
// -> usage metric and events -> calculate -> invoices in two currencies -> finalize -> send -> credit
// note -> partial application and its 409 -> seat balance -> credit balance -> summary. Every figure
// is worked out by hand in the comments beside it, never read from the fake's own functions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
// The generator makes the document's enums TypeScript enums, so an app writes Currency.GBP, not 'GBP'.
import {
  AggregationType,
  Api,
  BillingFrequency,
  BillingType,
  ContactBillingPreference,
  CountryCode1,
  CreditUnitType,
  Currency,
  FixedPricingType,
  MetricType,
  TaxStatus,
} from './clients/swagger-typescript-api/sequence.js';
import { start, type RunningServer } from '../src/server.js';

let fake: RunningServer;
let api: Api<unknown>;
beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent', strict: true });
  api = new Api({
    baseUrl: `${fake.url}/api`,
    baseApiParams: {
      headers: { Authorization: `Basic ${Buffer.from('sta-billing:secret').toString('base64')}`, 'Sequence-Version': '2024-07-30' },
    },
  });
});
afterAll(() => fake.close());

/** The client throws the Response of a non-2xx; this answers its status and parsed body. */
async function refused(call: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await call;
  } catch (thrown) {
    const response = thrown as Response & { error: unknown };
    return { status: response.status, body: response.error ?? (await response.json()) };
  }
  throw new Error('expected the call to be refused');
}

const address = { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: CountryCode1.GB };

describe('the swagger-typescript-api client generated from the published document bills a customer', () => {
  it('from customer to credit note, with every number worked out by hand', async () => {
    const customer = (
      await api.customers.postCustomers({
        legalName: 'Acme Ltd',
        address,
        taxStatus: TaxStatus.TAXED,
        contacts: [{ name: 'Ada', email: 'ada@acme.example', billingPreference: ContactBillingPreference.PRIMARY }],
        customerAliases: ['acme-eu', 'acme uk'],
      })
    ).data;

    // Catalogue and schedule: the schedule answers the phase sent and the price it names.
    const product = (await api.products.postProducts({ name: 'Messages', label: 'messages' })).data;
    const price = (
      await api.prices.postPrices({
        productId: product.id,
        name: 'Per message',
        currency: Currency.GBP,
        billingFrequency: BillingFrequency.MONTHLY,
        billingType: BillingType.IN_ARREARS,
        structure: { pricingType: FixedPricingType.FIXED, price: '10.00' },
      })
    ).data;
    const schedule = (
      await api.billingSchedules.postBillingSchedules({
        customerId: customer.id,
        startDate: '2026-01-01',
        taxRates: [],
        autoIssueInvoices: false,
        isDraft: false,
        rollUpBilling: false,
        phases: [{ name: 'Year one', priceIds: [price.id], startDate: '2026-01-01', endDate: '2026-12-31' }],
      })
    ).data;
    expect(schedule.phases.map((p) => [p.name, p.priceIds])).toEqual([['Year one', [price.id]]]);
    expect(schedule.prices.map((p) => p.id)).toEqual([price.id]);
    expect(schedule.status).toBe('ACTIVE');
    const unknownPrice = await refused(
      api.billingSchedules.postBillingSchedules({
        customerId: customer.id,
        startDate: '2026-01-01',
        taxRates: [],
        autoIssueInvoices: false,
        isDraft: false,
        rollUpBilling: false,
        phases: [{ priceIds: ['no-such-price'], startDate: '2026-01-01' }],
      }),
    );
    expect([unknownPrice.status, unknownPrice.body.error.errors[0].path]).toEqual([400, '/body/phases/0/priceIds/0']);

    // Usage: a SUM metric over characters sent by SMS, and a UNIQUE metric over recipients.
    const metric = (type: AggregationType.SUM | AggregationType.UNIQUE, property: string) =>
      api.usageMetrics.postUsageMetrics({
        name: `${type} ${property}`,
        metricType: MetricType.SIMPLE,
        eventType: 'message_sent',
        aggregationType: type,
        aggregationProperty: property,
        propertyFilters: { channel: ['sms'] },
      });
    const characters = (await metric(AggregationType.SUM, 'length')).data;
    const recipients = (await metric(AggregationType.UNIQUE, 'to')).data;
    const events: [string, string, number, string, string][] = [
      ['acme-eu', 'sms', 120, '+441', '2026-01-05T10:00:00Z'],
      ['acme uk', 'sms', 80, '+442', '2026-01-10T10:00:00Z'],
      [customer.id, 'sms', 15.5, '+441', '2026-01-31T23:59:59Z'],
      ['acme-eu', 'email', 1000, '+441', '2026-01-06T10:00:00Z'], // filtered out: not sms
      ['acme-eu', 'sms', 7, '+443', '2026-02-01T00:00:00Z'], // after the period
    ];
    for (const [customerAlias, channel, length, to, eventTimestamp] of events)
      await api.usageEvents.postUsageEvents({
        customerAlias,
        eventType: 'message_sent',
        eventTimestamp,
        eventProperties: { channel, length, to },
      });
    // The client encodes the query with encodeURIComponent: "acme uk" is acme%20uk, the comma %2C.
    const period = { customerAliases: 'acme uk,acme-eu', periodStart: '2026-01-01', periodEnd: '2026-01-31' };
    const sum = (await api.usageMetrics.getUsageMetricsByUsageMetricIdCalculate(characters.id, period)).data;
    expect([sum.eventCount, sum.value]).toEqual([3, 215.5]); // 120 + 80 + 15.5
    const unique = (await api.usageMetrics.getUsageMetricsByUsageMetricIdCalculate(recipients.id, period)).data;
    expect([unique.eventCount, unique.value]).toEqual([3, 2]); // +441, +442

    // A GBP invoice of three lines at two tax rates:
    //   2 x 10.00 at 20% = 20.00 + 4.00 = 24.00
    //   3 x 3.333 at 20% = 9.999 -> 10.00 + 2.00 = 12.00
    //   1 x 7.50  at 5%  = 7.50 + 0.375 -> 0.38 = 7.88
    //   net 37.50, tax 6.38, gross 43.88
    const invoice = (await api.invoices.postInvoices({ currency: Currency.GBP, customerId: customer.id })).data;
    for (const [quantity, rate, taxRate] of [
      ['2', '10.00', '0.20'],
      ['3', '3.333', '0.20'],
      ['1', '7.50', '0.05'],
    ] as const)
      await api.invoices.postInvoicesByInvoiceLineItems(invoice.id, { title: 'line', quantity, rate, taxRate, externalIds: [] });
    const drafted = (await api.invoices.getInvoicesById(invoice.id)).data;
    expect([drafted.netTotal, drafted.totalTax, drafted.grossTotal, drafted.status]).toEqual(['37.50', '6.38', '43.88', 'DRAFT']);

    // A JPY invoice (no minor units): 3 x 333 at 10% = 999 + 99.9 -> 100 = 1099.
    const yen = (await api.invoices.postInvoices({ currency: Currency.JPY, customerId: customer.id })).data;
    await api.invoices.postInvoicesByInvoiceLineItems(yen.id, {
      title: 'yen',
      quantity: '3',
      rate: '333',
      taxRate: '0.10',
      externalIds: [],
    });
    const yenRead = (await api.invoices.getInvoicesById(yen.id)).data;
    expect([yenRead.netTotal, yenRead.totalTax, yenRead.grossTotal]).toEqual(['999', '100', '1099']);

    // Lifecycle: sending a DRAFT is refused naming its status; finalize numbers it; send.
    const early = await refused(api.invoices.postInvoicesByIdSend(invoice.id));
    expect([early.status, early.body.error.errors[0].message]).toEqual([400, 'is DRAFT: send needs a FINAL invoice']);
    const final = (await api.invoices.postInvoicesByIdFinalize(invoice.id)).data;
    expect([final.status, final.invoiceNumber]).toEqual(['FINAL', 'INV00001']);
    const sent = (await api.invoices.postInvoicesByIdSend(invoice.id)).data;
    expect(sent.status).toBe('SENT');
    const edit = await refused(
      api.invoices.postInvoicesByInvoiceLineItems(invoice.id, { title: 'late', quantity: '1', rate: '1', taxRate: '0', externalIds: [] }),
    );
    expect(edit.status).toBe(400);

    // A credit note of 1 x 12.00 at 20% = 12.00 + 2.40 = 14.40, finalized, then 10.00 of it applied.
    const note = (await api.creditNotes.postCreditNotes({ currency: Currency.GBP, customerId: customer.id, invoiceId: invoice.id })).data;
    await api.creditNotes.postCreditNotesByCreditnoteLineItems(note.id, {
      creditNoteId: note.id,
      title: 'refund',
      quantity: '1',
      rate: '12.00',
      taxRate: '0.20',
      externalIds: [],
    });
    expect((await api.creditNotes.postCreditNotesByIdFinalize(note.id)).data.status).toBe('FINAL');
    const application = {
      creditNoteId: note.id,
      invoiceId: invoice.id,
      amount: 10,
      currency: Currency.GBP,
      creditNoteBalanceVersion: 0,
      invoiceBalanceVersion: 0,
    };
    const applied = await api.creditNoteApplications.postCreditNoteApplications(application);
    expect(applied.status).toBe(201);
    const ledger = await applied.json();
    // Invoice 43.88 - 10 = 33.88; credit note 14.40 - 10 = 4.40; each version 1.
    expect(ledger.invoiceBalance).toEqual({ value: 33.88, currency: 'GBP', version: 1 });
    expect(ledger.creditNoteBalance).toEqual({ value: 4.4, currency: 'GBP', version: 1 });
    const stale = await refused(api.creditNoteApplications.postCreditNoteApplications({ ...application, amount: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({
      message: 'Balance version mismatch. Re-read current versions and retry.',
      currentInvoiceBalance: { value: 33.88, currency: 'GBP', version: 1 },
      currentCreditNoteBalance: { value: 4.4, currency: 'GBP', version: 1 },
    });
    const after = (await api.invoices.getInvoicesById(invoice.id)).data;
    expect([after.balance, after.paymentStatus, after.creditNoteIds]).toEqual(['33.88', 'PARTIALLY_PAID', [note.id]]);

    // Seats: 5 admins, 9 after adding four, 6 after removing three; 2 viewers.
    for (const [seatType, total, eventTimestamp] of [
      ['admin', 5, '2026-01-01T00:00:00Z'],
      ['admin', 9, '2026-01-08T00:00:00Z'],
      ['admin', 6, '2026-01-15T00:00:00Z'],
      ['viewer', 2, '2026-01-02T00:00:00Z'],
    ] as const)
      await api.seatEvents.postSeatEvents({ customerAlias: 'acme-eu', seatType, total, eventTimestamp });
    const seats = (await api.seatBalances.getSeatBalances({ customerIds: customer.id })).data;
    expect(seats.items.map((s) => [s.total, s.balances.map((b) => [b.seatType, b.total])])).toEqual([
      [
        8,
        [
          ['admin', 6],
          ['viewer', 2],
        ],
      ],
    ]);

    // Credit: 25.00 + 12.50 granted = 37.50.
    for (const amount of [25, 12.5])
      await api.credits.postCredits({
        sequenceAccountId: 'any',
        customerId: customer.id,
        name: 'Goodwill',
        creditUnitType: CreditUnitType.CURRENCY,
        currency: Currency.GBP,
        amount,
      });
    const credit = (await api.credits.getCreditsByCustomerIdBalances(customer.id)).data;
    expect(credit.items.map((b) => [b.type, b.id, b.balance])).toEqual([['CASH', 'GBP', '37.50']]);

    // The summary: GBP 43.88 (the credit note does not change an invoice's gross), JPY 1099.
    const summary = (await api.invoices.getInvoicesSummary({ customerId: customer.id })).data;
    expect(summary.totalsByCurrency).toEqual([
      { currency: 'GBP', invoiceCount: 1, grossTotal: 43.88 },
      { currency: 'JPY', invoiceCount: 1, grossTotal: 1099 },
    ]);
  });
});
