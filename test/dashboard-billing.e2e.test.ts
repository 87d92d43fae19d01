// The dashboard's billing picture and its reach, in a real headless Chromium: an invoice as a billing
// person reads it, a customer's billing, webhook deliveries redelivered from the page (by keyboard),
// and every view at a desktop and a 390 px phone: no sideways page scroll, no serious or critical
// axe-core violation, and the README's screenshots.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { start, type RunningServer } from '../src/server.js';
import { monthlyPlan } from './support/plans.js';
import { axeViolations, DESKTOP, launch, PHONE, shot, sidewaysScroll } from './support/browser.js';

const PARTITION = 'dash-bill';
const AUTH = `Basic ${Buffer.from(`${PARTITION}:secret`).toString('base64')}`;
let browser: Browser;
let server: RunningServer;
let receiver: Server;
/** The answer the webhook receiver gives; bodies it was sent, in order. */
let answer = 500;
const received: string[] = [];
const ids: Record<string, string> = {};

async function as(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as Record<string, any>;
}

/** A page of the partition's dashboard at one of the views. */
async function opened(viewport: { width: number; height: number }, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.url}/__admin/ui#/customers`);
  await page.locator('#partition-new').fill(PARTITION);
  await page.getByRole('button', { name: 'Use' }).click();
  await page.locator('#customers-caption', { hasText: `of ${PARTITION}` }).waitFor();
  await page.goto(`${server.url}/__admin/ui${hash}`);
  return page;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(body);
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  browser = await launch();
  // Two quick attempts, so a delivery the receiver refuses is FAILED within the test.
  server = await start({ port: 0, logLevel: 'silent', fixtures: false, webhooks: { retryBaseMs: 50, maxAttempts: 2 } });

  const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await as('POST', '/api/notifications/policies', {
    name: 'Hooks',
    channel: 'WEBHOOK',
    recipients: [hooks],
    notificationTypes: ['INVOICE_ISSUED'],
  });
  const customer = await as('POST', '/api/customers', {
    legalName: 'Ledger Ltd',
    address: { line1: '2 Bank Street', town: 'London', postcode: 'E14 5AB', country: 'GB' },
    taxStatus: 'TAXED',
    contacts: [{ name: 'Bea', email: 'bea@ledger.example', billingPreference: 'PRIMARY' }],
  });
  ids.customer = customer.id;
  await as('POST', '/api/customer-aliases', { customerId: customer.id, value: 'ledger' });
  await as('POST', '/api/usage-events', { customerAlias: 'ledger', eventType: 'api_call', eventProperties: { calls: 3 } });
  await monthlyPlan(as, customer.id, { name: 'Platform fee', amount: '40.00', autoIssueInvoices: false });
  // An invoice a billing person checks by hand: a "Seats" group of 2 x 10.00 at 20% and 1 x 5.00 at
  // 0%, and 1 x 100.00 at 0% outside it.
  const invoice = await as('POST', '/api/invoices', { customerId: customer.id, currency: 'GBP' });
  ids.invoice = invoice.id;
  const group = await as('POST', `/api/invoices/${invoice.id}/line-item-groups`, { title: 'Seats' });
  const line = (title: string, quantity: string, rate: string, taxRate: string, groupId?: string) =>
    as('POST', `/api/invoices/${invoice.id}/line-items`, { title, quantity, rate, taxRate, externalIds: [], ...(groupId && { groupId }) });
  await line('Admin seat', '2', '10.00', '0.2', group.id);
  await line('Viewer seat', '1', '5.00', '0', group.id);
  await line('Onboarding', '1', '100.00', '0');
  await as('POST', `/api/invoices/${invoice.id}/finalize`);
  // A credit note of 1 x 25.00 at 20% (30.00 gross), 20.00 of it applied.
  const note = await as('POST', '/api/credit-notes', { customerId: customer.id, currency: 'GBP' });
  await as('POST', `/api/credit-notes/${note.id}/line-items`, {
    title: 'Goodwill',
    quantity: '1',
    rate: '25.00',
    taxRate: '0.2',
    externalIds: [],
    creditNoteId: note.id,
  });
  await as('POST', `/api/credit-notes/${note.id}/finalize`);
  ids.creditNote = note.id;
  await as('POST', '/api/credit-note-applications', {
    creditNoteId: note.id,
    invoiceId: invoice.id,
    amount: 20,
    currency: 'GBP',
    creditNoteBalanceVersion: 0,
    invoiceBalanceVersion: 0,
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the billing picture', () => {
  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])(
    'shows an invoice as a billing person reads it (%s): lines, groups, tax by rate, totals, credit applied, balance, history',
    async (kind, viewport) => {
      const page = await opened(viewport, `#/invoices/${ids.invoice}`);
      await page.getByRole('heading', { name: /^Invoice INV\d{5}$/ }).waitFor();
      await expect(page.locator('#invoice-status').textContent()).resolves.toBe('FINAL PARTIALLY_PAID');
      const lines = page.getByRole('region', { name: 'Lines' });
      await expect(lines.locator('tbody tr').allTextContents()).resolves.toEqual([
        'Admin seatSeats210.000.220.004.0024.00',
        'Viewer seatSeats15.0005.000.005.00',
        'Onboarding1100.000100.000.00100.00',
      ]);
      // The group: 2 x 10.00 + 5.00 = 25.00 net, 4.00 tax, 29.00 gross.
      await expect(page.getByRole('region', { name: 'Groups' }).locator('tbody').textContent()).resolves.toBe('Seats25.004.0029.00');
      // Tax by rate: 20% on 20.00 is 4.00; 0% on 5.00 + 100.00.
      await expect(page.getByRole('region', { name: 'Tax by rate' }).locator('tbody tr').allTextContents()).resolves.toEqual([
        '0.220.00 GBP4.00 GBP',
        '0105.00 GBP0.00 GBP',
      ]);
      // 125.00 net + 4.00 tax = 129.00; 20.00 of the credit note applied leaves 109.00 owed.
      const totals = Object.fromEntries(
        await page
          .locator('#invoice-totals dt')
          .evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
      );
      expect(totals).toEqual({
        'Net total': '125.00 GBP',
        Tax: '4.00 GBP',
        'Gross total': '129.00 GBP',
        'Credit applied': '20.00 GBP',
        'Balance owed': '109.00 GBP',
      });
      const applied = page.getByRole('region', { name: 'Credit notes applied' });
      await expect(applied.locator('tbody tr').textContent()).resolves.toMatch(/^CN\d{5}25\.00 GBP5\.00 GBP30\.00 GBP$/);
      // History: made, then finalized (from the journal), then issued; now FINAL.
      const history = await page.locator('#invoice-history li').allTextContents();
      expect(history[0]).toMatch(/Created$/);
      expect(history.some((step) => step.endsWith('POST finalize'))).toBe(true);
      // Writes to its lines are not steps of its status.
      expect(history.some((step) => step.includes('line-item'))).toBe(false);
      expect(history.at(-1)).toBe('Now FINAL');
      if (kind === 'desktop') await shot(page, 'invoice');
      // Links lead on: to the customer, and to the credit note's record.
      await applied.getByRole('link').click();
      await page.getByRole('heading', { name: /^Credit notes: CN\d{5}$/ }).waitFor();
      await page.goBack();
      await page.locator('#invoice-fields').getByRole('link', { name: 'Ledger Ltd' }).click();
      await page.getByRole('heading', { name: 'Ledger Ltd' }).waitFor();
      await page.close();
    },
  );

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])("shows a customer's schedules, invoices, balances and usage (%s)", async (_kind, viewport) => {
    const page = await opened(viewport, `#/customers/${ids.customer}`);
    await page.getByRole('heading', { name: 'Ledger Ltd' }).waitFor();
    const schedules = page.getByRole('region', { name: 'Billing schedules' });
    await schedules.locator('tbody tr', { hasText: 'ACTIVE' }).waitFor();
    await expect(schedules.locator('tbody').textContent()).resolves.toContain('Platform fee');
    const invoices = page.getByRole('region', { name: 'Invoices' });
    await expect(invoices.locator('tbody tr').textContent()).resolves.toMatch(/^INV\d{5}FINAL129\.00 GBP109\.00 GBP$/);
    await expect(page.locator('#customer-balances').textContent()).resolves.toBe('Owed (GBP)109.00 GBP');
    const usage = page.getByRole('region', { name: 'Usage events' });
    await expect(usage.locator('tbody tr').textContent()).resolves.toMatch(/^api_callledger.*calls: 3$/);
    await invoices.getByRole('link').click();
    await page.getByRole('heading', { name: /^Invoice INV/ }).waitFor();
    await page.close();
  });

  it('lists webhook deliveries with their attempts and body, and redelivers one from the keyboard', async () => {
    // Send the issued invoice's event again now (the receiver refuses it), then watch it fail.
    await as('POST', '/__admin/webhooks/trigger', { notificationType: 'INVOICE_ISSUED', resourceId: ids.invoice });
    const failed = async () => (await as('GET', '/__admin/webhooks')).items.filter((d: { status: string }) => d.status === 'FAILED');
    for (let i = 0; i < 100 && (await failed()).length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const [delivery] = await failed();
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500]);

    const page = await opened(DESKTOP, '#/webhooks');
    const table = page.getByRole('region', { name: 'Webhook deliveries' });
    const row = table.locator('tbody tr', { hasText: 'FAILED' }).first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('INVOICE_ISSUED');
    await row.getByRole('button', { name: 'INVOICE_ISSUED', exact: true }).click();
    const attempts = page.locator('tr.detail').getByRole('region', { name: 'Attempts' }).locator('tbody tr');
    // Drawn once the row opens (the view reads the deliveries again).
    await attempts.first().waitFor();
    await expect(attempts.count()).resolves.toBe(2);
    const detail = page.locator('tr.detail');
    await expect(detail.locator('pre').textContent()).resolves.toContain('"notificationType": "INVOICE_ISSUED"');
    await shot(page, 'webhooks');

    // The receiver takes deliveries again; Redeliver is reached with Tab and pressed with Enter.
    answer = 200;
    const before = received.length;
    const redeliver = row.getByRole('button', { name: /^Redeliver / });
    await row.getByRole('button', { name: 'INVOICE_ISSUED', exact: true }).focus();
    for (let i = 0; i < 10 && !(await redeliver.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#status', { hasText: 'Redelivering INVOICE_ISSUED' }).waitFor();
    for (let i = 0; i < 100 && received.length === before; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.length).toBe(before + 1);
    expect(JSON.parse(received.at(-1)!)).toMatchObject({ notificationType: 'INVOICE_ISSUED', resourceId: ids.invoice });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await table.locator('tbody tr', { hasText: 'DELIVERED' }).first().waitFor();
    await page.close();
  });
});

/** Every view, as a person reaches it; an empty array for a view the partition has nothing in yet. */
const VIEWS = (): [name: string, hash: string, ready: string][] => [
  ['customers', '#/customers', '#customers-table tbody tr'],
  ['customer', `#/customers/${ids.customer}`, '#customer-billing table'],
  ['invoice', `#/invoices/${ids.invoice}`, '#invoice-history li'],
  ['records', '#/records', '.catalogue a'],
  ['invoices', `#/records/${encodeURIComponent('/invoices')}`, '#records table tbody tr'],
  ['record', `#/records/${encodeURIComponent('/credit-notes')}/${ids.creditNote}`, '#records dl.record'],
  ['requests', '#/requests', '#requests-table tbody tr'],
  ['faults', '#/faults', '#faults-table tbody tr'],
  ['webhooks-list', '#/webhooks', '#webhooks-table tbody tr'],
  ['clock', '#/clock', '#clock-runs tbody tr'],
];

it('the axe-core scan finds a violation when there is one (so an empty list means something)', async () => {
  const page = await browser.newPage();
  await page.setContent('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"><button></button></main></body></html>');
  const ids = (await axeViolations(page)).map((v) => v.id).sort();
  expect(ids).toEqual(['button-name', 'image-alt']);
  await page.close();
});

describe.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
])('every view on a %s', (kind, viewport) => {
  it('has no sideways page scroll (tables scroll in their own box) and no serious or critical axe-core violation', async () => {
    const page = await opened(viewport, '#/customers');
    const found: Record<string, unknown> = {};
    for (const [name, hash, ready] of VIEWS()) {
      await page.goto(`${server.url}/__admin/ui${hash}`);
      await page.locator(ready).first().waitFor();
      const scroll = await sidewaysScroll(page);
      const violations = await axeViolations(page);
      if (scroll > 0 || violations.length > 0) found[name] = { scroll, violations };
      if (kind === 'phone') await shot(page, `${name}-390`);
    }
    expect(found).toEqual({});
    await page.close();
  });
});
