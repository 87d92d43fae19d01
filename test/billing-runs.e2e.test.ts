// Billing runs on a test clock, driven as a user would: swagger-typescript-api's client generated
// from the published document for the API, the AdminClient for the clock. One schedule with every
// pricing type over two phases, usage across two periods, the clock advanced by two months; each
// invoice's lines and totals are worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AggregationType,
  Api,
  BillingFrequency,
  BillingType,
  ContactBillingPreference,
  CountryCode,
  CountryCode1,
  Currency,
  DiscountCalculationType,
  MetricType,
  NotificationChannel,
  NotificationType,
  TaxStatus,
} from './clients/swagger-typescript-api/sequence.js';
import { AdminClient, createWebhookReceiver } from '../src/index.js';
import { start, type RunningServer } from '../src/server.js';

let fake: RunningServer;
let api: Api<unknown>;
let admin: AdminClient;
const CLIENT = 'billing-runs';
beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent', strict: true });
  api = new Api({
    baseUrl: `${fake.url}/api`,
    baseApiParams: { headers: { Authorization: `Basic ${Buffer.from(`${CLIENT}:secret`).toString('base64')}` } },
  });
  admin = new AdminClient({ baseUrl: fake.url, clientId: CLIENT });
});
afterAll(() => fake.close());

// The price bodies are typed by the document per pricing type; built as data here, checked by the fake.
type PriceBody = Parameters<Api<unknown>['prices']['postPrices']>[0];

/** The generated client, as the partition `clientId`. */
const clientOf = (clientId: string) =>
  new Api({
    baseUrl: `${fake.url}/api`,
    baseApiParams: { headers: { Authorization: `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}` } },
  });

/** A customer of the partition, billed in London. */
async function customerIn(
  client: Api<unknown>,
  legalName: string,
  extra: Partial<Parameters<Api<unknown>['customers']['postCustomers']>[0]> = {},
) {
  const made = await client.customers.postCustomers({
    legalName,
    address: { line1: '1 High St', town: 'London', postcode: 'E1 1AA', country: CountryCode1.GB },
    taxStatus: TaxStatus.TAXED,
    contacts: [],
    ...extra,
  });
  return made.data;
}

/** A product and a maker of its monthly GBP prices, each answering the price's id. */
async function catalogueIn(client: Api<unknown>, name: string) {
  const product = (await client.products.postProducts({ name, label: name.toLowerCase() })).data;
  return async (priceName: string, billingType: BillingType, structure: object) =>
    (
      await client.prices.postPrices({
        productId: product.id,
        name: priceName,
        currency: Currency.GBP,
        billingFrequency: BillingFrequency.MONTHLY,
        billingType,
        structure,
      } as PriceBody)
    ).data.id;
}

describe('a billing run on a test clock', () => {
  it('invoices every pricing type over two phases, with a discount and a minimum, as worked out by hand', async () => {
    expect((await admin.setClock('2026-01-01T00:00:00Z')).testClock).toBe(true);
    const customer = await customerIn(api, 'Runs Ltd', {
      contacts: [{ name: 'Ada', email: 'ada@runs.example', billingPreference: ContactBillingPreference.PRIMARY }],
      customerAliases: ['runs'],
    });
    expect(customer.createdAt.slice(0, 10)).toBe('2026-01-01'); // dated by the test clock
    const price = await catalogueIn(api, 'Platform');
    const metric = async (name: string, property: string) =>
      (
        await api.usageMetrics.postUsageMetrics({
          name,
          metricType: MetricType.SIMPLE,
          eventType: name,
          aggregationType: AggregationType.SUM,
          aggregationProperty: property,
        })
      ).data.id;
    const [calls, sms, storage, minutes] = [
      await metric('api', 'n'),
      await metric('sms', 'n'),
      await metric('storage', 'gb'),
      await metric('minutes', 'm'),
    ];
    const seatMetric = (await api.seatMetrics.postSeatMetrics({ seatType: 'editor', label: 'Editor' })).data;
    const fixed100 = await price('Base', BillingType.IN_ADVANCE, { pricingType: 'FIXED', price: '100.00' });
    const setup = await price('Setup', BillingType.IN_ADVANCE, { pricingType: 'ONE_TIME', price: '50.00' });
    const linear = await price('API calls', BillingType.IN_ARREARS, {
      pricingType: 'LINEAR',
      pricePerUnit: '0.10',
      usageMetricId: calls,
      isPricePercentage: false,
    });
    const pkg = await price('SMS', BillingType.IN_ARREARS, {
      pricingType: 'PACKAGE',
      packageSize: '100',
      pricePerPackage: '5.00',
      usageMetricId: sms,
    });
    const graduated = await price('Storage', BillingType.IN_ARREARS, {
      pricingType: 'GRADUATED',
      usageMetricId: storage,
      usageCalculationMode: 'BILLING_PERIOD',
      tiers: [
        { upperBound: '100', price: '1.00', isPricePercentage: false },
        { upperBound: '200', price: '0.50', fee: '10.00', isPricePercentage: false },
        { price: '0.20', isPricePercentage: false },
      ],
    });
    const volume = await price('Minutes', BillingType.IN_ARREARS, {
      pricingType: 'VOLUME',
      usageMetricId: minutes,
      tiers: [
        { upperBound: '100', price: '2.00', isPricePercentage: false },
        { upperBound: '1000', price: '1.50', isPricePercentage: false },
        { price: '1.00', isPricePercentage: false },
      ],
    });
    const seats = await price('Editors', BillingType.IN_ARREARS, {
      pricingType: 'SEAT_BASED',
      seatMetricId: seatMetric.id,
      pricePerSeat: '20.00',
      contractedMinimumSeats: 4,
      prorationStrategy: 'USE_MAXIMUM',
      tiers: [],
    });
    const fixed200 = await price('Base (upgraded)', BillingType.IN_ADVANCE, { pricingType: 'FIXED', price: '200.00' });
    const vat = (
      await api.taxRates.postTaxRates({
        name: 'VAT',
        invoiceName: 'VAT',
        invoiceShortName: 'VAT',
        description: 'UK VAT',
        amount: '0.2',
        country: CountryCode.GB,
        isPublished: true,
      })
    ).data.id;

    // Usage, sent now with the times it happened. Jan: api 1500, sms 250, storage 250 GB, minutes 150.
    // 1-14 Feb: api 300, sms 100, storage 80. 15-28 Feb: api 120.
    const usage: [string, string, number, string][] = [
      ['api', 'n', 1000, '2026-01-10T10:00:00Z'],
      ['api', 'n', 500, '2026-01-20T10:00:00Z'],
      ['api', 'n', 300, '2026-02-05T10:00:00Z'],
      ['api', 'n', 120, '2026-02-20T10:00:00Z'],
      ['sms', 'n', 250, '2026-01-15T10:00:00Z'],
      ['sms', 'n', 100, '2026-02-10T10:00:00Z'],
      ['storage', 'gb', 250, '2026-01-25T10:00:00Z'],
      ['storage', 'gb', 80, '2026-02-03T10:00:00Z'],
      ['minutes', 'm', 150, '2026-01-12T10:00:00Z'],
    ];
    for (const [eventType, property, value, eventTimestamp] of usage)
      await api.usageEvents.postUsageEvents({ customerAlias: 'runs', eventType, eventTimestamp, eventProperties: { [property]: value } });
    // Editors: 5, then 3 from 20 Jan.
    await api.seatEvents.postSeatEvents({ customerAlias: 'runs', seatType: 'editor', total: 5, eventTimestamp: '2026-01-02T00:00:00Z' });
    await api.seatEvents.postSeatEvents({ customerAlias: 'runs', seatType: 'editor', total: 3, eventTimestamp: '2026-01-20T00:00:00Z' });

    // Phase 1 to 14 Feb; phase 2 from 15 Feb (mid-period): the upgraded base price with 10% off,
    // and API calls with a 30.00 minimum.
    const schedule = (
      await api.billingSchedules.postBillingSchedules({
        customerId: customer.id,
        startDate: '2026-01-01',
        taxRates: [fixed100, fixed200].map((priceId) => ({ priceId, taxRateId: vat })),
        autoIssueInvoices: false,
        defaultDueDateDays: 30,
        isDraft: false,
        rollUpBilling: false,
        phases: [
          {
            name: 'Launch',
            priceIds: [fixed100, setup, linear, pkg, graduated, volume, seats],
            startDate: '2026-01-01',
            endDate: '2026-02-14',
          },
          {
            name: 'Growth',
            priceIds: [fixed200, linear],
            startDate: '2026-02-15',
            discounts: [
              {
                type: DiscountCalculationType.PERCENTAGE,
                amount: 10,
                message: 'Growth discount',
                separateLineItem: true,
                restrictToPrices: [fixed200],
              },
            ],
            minimums: [{ amount: 30, restrictToPrices: [linear] }],
          },
        ],
      })
    ).data;

    // Two periods: 1 Jan -> 1 Mar.
    const run = await admin.advanceClock({ by: 'P2M' });
    expect(run.now.slice(0, 10)).toBe('2026-03-01');
    expect(run.invoices).toHaveLength(4);

    const invoices = await Promise.all(run.invoices.map(async (id) => (await api.invoices.getInvoicesById(id)).data));
    const linesOf = async (id: string) =>
      (await api.invoices.getInvoicesByInvoiceLineItems(id, { sortOrder: 'ASC', limit: 50 })).data.items.map((l) => [
        l.title,
        l.netTotal,
        l.totalTax,
      ]);
    const summary = (i: (typeof invoices)[number]) => [i.billingPeriod?.start, i.status, i.dueDate, i.netTotal, i.totalTax, i.grossTotal];

    // 1 Jan: Base for January 100.00 + 20% VAT; Setup 50.00 once. Net 150.00, tax 20.00.
    expect(summary(invoices[0]!)).toEqual(['2026-01-01', 'DRAFT', '2026-01-31', '150.00', '20.00', '170.00']);
    expect(await linesOf(invoices[0]!.id)).toEqual([
      ['Base', '100.00', '20.00'],
      ['Setup', '50.00', '0.00'],
    ]);

    // 1 Feb: Base for 1-14 Feb only (phase 1 ends): 100 x 14/28 = 50.00 + 10.00 VAT; January's usage:
    // API 1500 x 0.10 = 150.00; SMS 250 -> 3 packages x 5.00 = 15.00; storage 250 GB graduated:
    // 100 x 1.00 + 100 x 0.50 + 10.00 fee + 50 x 0.20 = 170.00; minutes 150, all at the 101-1000 tier:
    // 150 x 1.50 = 225.00; editors 3 at the end of January, contracted minimum 4: 4 x 20.00 = 80.00.
    // Net 690.00, tax 10.00.
    expect(summary(invoices[1]!)).toEqual(['2026-01-01', 'DRAFT', '2026-03-03', '690.00', '10.00', '700.00']);
    expect(await linesOf(invoices[1]!.id)).toEqual([
      ['Base', '50.00', '10.00'],
      ['API calls', '150.00', '0.00'],
      ['SMS', '15.00', '0.00'],
      ['Storage', '170.00', '0.00'],
      ['Minutes', '225.00', '0.00'],
      ['Editors', '80.00', '0.00'],
    ]);

    // 15 Feb (phase 1's last usage, phase 2's first advance): 1-14 Feb usage: API 300 x 0.10 = 30.00;
    // SMS 100 -> 1 package 5.00; storage 80 GB -> 80.00; minutes none -> 0.00; editors 4 x 20.00 x
    // 14/28 = 40.00. Upgraded base for 15-28 Feb: 200 x 14/28 = 100.00 + 20.00 VAT, 10% off: -10.00
    // and -2.00 VAT. Net 245.00, tax 18.00.
    expect(summary(invoices[2]!)).toEqual(['2026-02-01', 'DRAFT', '2026-03-17', '245.00', '18.00', '263.00']);
    expect(await linesOf(invoices[2]!.id)).toEqual([
      ['API calls', '30.00', '0.00'],
      ['SMS', '5.00', '0.00'],
      ['Storage', '80.00', '0.00'],
      ['Minutes', '0.00', '0.00'],
      ['Editors', '40.00', '0.00'],
      ['Base (upgraded)', '100.00', '20.00'],
      ['Growth discount', '-10.00', '-2.00'],
    ]);

    // 1 Mar: upgraded base for March 200.00 + 40.00 VAT, 10% off -20.00 and -4.00; API 15-28 Feb
    // 120 x 0.10 = 12.00, under the 30.00 minimum: +18.00. Net 210.00, tax 36.00.
    expect(summary(invoices[3]!)).toEqual(['2026-02-15', 'DRAFT', '2026-03-31', '210.00', '36.00', '246.00']);
    expect(await linesOf(invoices[3]!.id)).toEqual([
      ['Base (upgraded)', '200.00', '40.00'],
      ['API calls', '12.00', '0.00'],
      ['Growth discount', '-20.00', '-4.00'],
      ['Minimum commitment', '18.00', '0.00'],
    ]);

    // Each invoice is dated the day it fell due, and names its schedule.
    expect(invoices.map((i) => [i.createdAt.slice(0, 10), i.billingScheduleId])).toEqual([
      ['2026-01-01', schedule.id],
      ['2026-02-01', schedule.id],
      ['2026-02-15', schedule.id],
      ['2026-03-01', schedule.id],
    ]);
    // Advancing again over the same days bills nothing twice.
    expect((await admin.advanceClock({ by: 'PT1H' })).invoices).toEqual([]);
  });

  it('prorates a first partial period, issues as it goes, raises the events, and completes at the end date', async () => {
    const partition = 'billing-runs-partial';
    const clock = fake.clock(partition);
    const own = clientOf(partition);
    await clock.set(new Date('2026-01-10T00:00:00Z'));
    const hooks = await createWebhookReceiver();
    try {
      const policy = await own.notifications.postNotificationsPolicies({
        name: 'Issued',
        channel: NotificationChannel.WEBHOOK,
        recipients: [hooks.url],
        notificationTypes: [NotificationType.INVOICE_ISSUED, NotificationType.BILLING_SCHEDULE_UPDATED],
      });
      hooks.secret = policy.data.webhookSecret ?? undefined;
      const customer = await customerIn(own, 'Partial Ltd');
      const monthly = await (await catalogueIn(own, 'Plan'))('Plan', BillingType.IN_ADVANCE, { pricingType: 'FIXED', price: '31.00' });
      const schedule = (
        await own.billingSchedules.postBillingSchedules({
          customerId: customer.id,
          startDate: '2026-01-10',
          endDate: '2026-03-31',
          recurrenceDayOfMonth: 1,
          taxRates: [],
          autoIssueInvoices: true,
          isDraft: false,
          rollUpBilling: false,
          phases: [{ priceIds: [monthly], startDate: '2026-01-10' }],
        })
      ).data;
      const run = await clock.advance('P83D'); // 10 Jan -> 3 Apr
      expect(run.now.slice(0, 10)).toBe('2026-04-03');
      expect(run.completed).toEqual([schedule.id]);
      const invoices = await Promise.all(run.invoices.map(async (id) => (await own.invoices.getInvoicesById(id)).data));
      // Billed on the 1st: 10-31 January is 22 of January's 31 days: 31.00 x 22/31 = 22.00; then whole months.
      expect(invoices.map((i) => [i.billingPeriod?.start, i.billingPeriod?.endInclusive, i.grossTotal, i.status, i.invoiceNumber])).toEqual(
        [
          ['2026-01-10', '2026-01-31', '22.00', 'SENT', 'INV00001'],
          ['2026-02-01', '2026-02-28', '31.00', 'SENT', 'INV00002'],
          ['2026-03-01', '2026-03-31', '31.00', 'SENT', 'INV00003'],
        ],
      );
      expect((await own.billingSchedules.getBillingSchedulesByBillingScheduleId(schedule.id)).data).toMatchObject({
        status: 'COMPLETED',
        lastInvoiceId: run.invoices[2],
      });
      // Each issued invoice, then the completed schedule, reached the webhook, signed.
      for (const id of run.invoices) expect((await hooks.next('INVOICE_ISSUED')).body.resourceId).toBe(id);
      const completed = await hooks.next('BILLING_SCHEDULE_UPDATED');
      expect([completed.verified, (completed.body.resource as { status?: string }).status]).toEqual([true, 'COMPLETED']);
      expect(clock.read()).toMatchObject({ testClock: true });
      expect(clock.reset()).toMatchObject({ testClock: false });
    } finally {
      await hooks.close();
    }
  });

  it("keeps the next charges as an upcoming IN_PROGRESS invoice, which draft makes the user's", async () => {
    const partition = 'billing-runs-upcoming';
    const clock = fake.clock(partition);
    const own = clientOf(partition);
    await clock.set(new Date('2026-01-01T00:00:00Z'));
    const customer = await customerIn(own, 'Upcoming Ltd', { customerAliases: ['upcoming'] });
    const price = await catalogueIn(own, 'Plan');
    const calls = (
      await own.usageMetrics.postUsageMetrics({
        name: 'calls',
        metricType: MetricType.SIMPLE,
        eventType: 'call',
        aggregationType: AggregationType.COUNT,
      })
    ).data.id;
    const plan = await price('Plan', BillingType.IN_ADVANCE, { pricingType: 'FIXED', price: '10.00' });
    const perCall = await price('Calls', BillingType.IN_ARREARS, {
      pricingType: 'LINEAR',
      pricePerUnit: '1.00',
      usageMetricId: calls,
      isPricePercentage: false,
    });
    await own.billingSchedules.postBillingSchedules({
      customerId: customer.id,
      startDate: '2026-01-01',
      taxRates: [],
      autoIssueInvoices: false,
      isDraft: false,
      rollUpBilling: false,
      phases: [{ priceIds: [plan, perCall], startDate: '2026-01-01' }],
    });
    for (const day of ['05', '06', '07'])
      await own.usageEvents.postUsageEvents({ customerAlias: 'upcoming', eventType: 'call', eventTimestamp: `2026-01-${day}T12:00:00Z` });

    const first = await clock.advance('P10D');
    expect(first.invoices).toHaveLength(1); // January's plan, in advance
    expect(first.upcoming).toHaveLength(1);
    const upcoming = (await own.invoices.getInvoicesById(first.upcoming[0]!)).data;
    // Due 1 Feb: February's plan 10.00, and January's calls so far: 3 x 1.00.
    expect([upcoming.status, upcoming.billingPeriod?.start, upcoming.netTotal]).toEqual(['IN_PROGRESS', '2026-01-01', '13.00']);

    // A fourth call before the end of January: the next run prices the upcoming invoice again.
    await own.usageEvents.postUsageEvents({ customerAlias: 'upcoming', eventType: 'call', eventTimestamp: '2026-01-20T12:00:00Z' });
    const second = await clock.advance('P10D');
    expect(second.invoices).toEqual([]);
    const again = (await own.invoices.getInvoicesById(second.upcoming[0]!)).data;
    expect([again.status, again.netTotal]).toEqual(['IN_PROGRESS', '14.00']);
    expect((await own.invoices.getInvoicesById(first.upcoming[0]!).catch((e: Response) => e)).status).toBe(404);

    // Drafted, it is the user's: the run that reaches 1 Feb bills those charges no more.
    const drafted = (await own.invoices.postInvoicesByIdDraft(again.id)).data;
    expect([drafted.status, drafted.netTotal]).toEqual(['DRAFT', '14.00']);
    const third = await clock.advance('P15D'); // to 5 Feb
    expect(third.invoices).toEqual([]);
    expect((await own.invoices.getInvoicesById(again.id)).data.status).toBe('DRAFT');
    // The next upcoming invoice is March's plan and February's calls (none yet).
    expect((await own.invoices.getInvoicesById(third.upcoming[0]!)).data).toMatchObject({ status: 'IN_PROGRESS', netTotal: '10.00' });
  });
});
