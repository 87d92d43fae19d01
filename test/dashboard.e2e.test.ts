// The dashboard (/__admin/ui) driven in a real headless Chromium (Debian's chromium package, installed
// here when missing and this runs as root), against a fake started in this process. The screenshots
// in docs/screenshots/ come from this run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { PREFER_CODES } from '../src/http/mock-controls.js';
import { start, type RunningServer } from '../src/server.js';
import { minimalRequest } from './helpers.js';
import { DESKTOP, launch, shot as shoot } from './support/browser.js';
import { monthlyPlan } from './support/plans.js';

let browser: Browser;
let server: RunningServer;
let page: Page;
const PARTITION = 'my-app';
const AUTH = `Basic ${Buffer.from(`${PARTITION}:secret`).toString('base64')}`;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const customer = (legalName: string, extra: Record<string, unknown> = {}) => ({
  legalName,
  address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  taxStatus: 'TAXED',
  contacts: [{ name: 'Ann', email: 'ann@example.com', billingPreference: 'PRIMARY' }],
  ...extra,
});
const shot = (name: string) => shoot(page, name);

beforeAll(async () => {
  browser = await launch();
  server = await start({ port: 0, logLevel: 'silent', fixtures: false });
  page = await browser.newPage({ viewport: DESKTOP });
  // A locator that never matches fails with its own message, well inside the test's timeout.
  page.setDefaultTimeout(10_000);
  page.on('dialog', (dialog) => void dialog.accept());
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the dashboard', () => {
  it('opens from the root in a browser, and API clients are not redirected', async () => {
    await api('POST', '/customers', customer('Dash Parent'));
    await page.goto(`${server.url}/`);
    expect(page.url()).toBe(`${server.url}/__admin/ui#/customers`);
    const json = await fetch(`${server.url}/`, { redirect: 'manual', headers: { Accept: 'application/json', Authorization: AUTH } });
    expect(json.status).not.toBe(302);
  });

  it('shows a customer created through the API in the partition picked', async () => {
    await page.goto(`${server.url}/__admin/ui#/customers`);
    await page.getByLabel('Partition (client id)').selectOption(PARTITION);
    await expect(page.getByRole('link', { name: 'Dash Parent' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Dash Parent' }).waitFor();
    const made = await api('POST', '/customers', customer('Dash Other', { label: 'Made after the page opened' }));
    expect(made.status).toBe(201);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Dash Other' }).waitFor();
    await expect(page.locator('#customers-caption').textContent()).resolves.toBe(`2 customers of ${PARTITION}`);
    // Search by exact legal name.
    await page.getByLabel('Search text').fill('Dash Other');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#customers-caption', { hasText: '1 customer of' }).waitFor();
    await page.getByLabel('Search text').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#customers-caption', { hasText: '2 customers of' }).waitFor();
    await shot('customers');
  });

  it('opens a customer and draws its organization as a tree, with links between them', async () => {
    const { body: parent } = await api('GET', `/customers?legalName=Dash%20Parent`);
    const parentId = parent.items[0].id as string;
    const child = await api('POST', '/customers', customer('Dash Child', { parentId, customProperties: { tier: 'gold' } }));
    await api('POST', '/customer-aliases', { customerId: child.body.id, value: 'dash-child-alias' });
    await page.goto(`${server.url}/__admin/ui#/customers/${parentId}`);
    const tree = page.getByRole('tree', { name: 'Organization owned by Dash Parent' });
    await tree.waitFor();
    await expect(tree.getByRole('treeitem').first().textContent()).resolves.toContain('Dash Parent owner');
    await expect(tree.getByRole('treeitem').nth(1).textContent()).resolves.toBe('Dash Child member');
    await shot('customer');
    await tree.getByRole('link', { name: 'Dash Child' }).click();
    await page.getByRole('heading', { name: 'Dash Child' }).waitFor();
    await expect(page.locator('#customer-aliases').textContent()).resolves.toBe('dash-child-alias');
    await page.getByRole('tree').getByRole('link', { name: 'Dash Parent' }).click();
    await page.getByRole('heading', { name: 'Dash Parent' }).waitFor();
    // No alias: a sentence, not a one-item list.
    await expect(page.locator('#customer-aliases').textContent()).resolves.toBe('None.');
    await expect(page.locator('#customer-aliases li').count()).resolves.toBe(0);
    await tree.getByRole('link', { name: 'Dash Child' }).click();
    await page.getByRole('heading', { name: 'Dash Child' }).waitFor();
    await expect(page.locator('#customer-properties').textContent()).resolves.toBe('tiergold');
    await expect(page.locator('#customer-contacts tbody').textContent()).resolves.toContain('ann@example.com');
    await page.getByRole('tree').getByRole('link', { name: 'Dash Parent' }).click();
    await page.getByRole('heading', { name: 'Dash Parent' }).waitFor();
  });

  it('shows a bad request in the journal as it arrives, with its violations highlighted', async () => {
    await page.goto(`${server.url}/__admin/ui#/requests`);
    await page.locator('#requests-table tbody tr').first().waitFor();
    // Sent while the page is open: it must appear without a reload.
    const bad = await api('POST', '/customers', { legalName: 'No tax status', address: customer('x').address, contacts: [] });
    expect(bad.status).toBe(400);
    const row = page.locator('#requests-table tbody tr.client-error', { hasText: 'POST' }).first();
    await row.waitFor({ timeout: 5000 });
    await expect(row.textContent()).resolves.toContain('400');
    await row.getByRole('button', { name: '/api/customers' }).click();
    const detail = page.locator('tr.detail');
    await detail.getByRole('heading', { name: 'Violations' }).waitFor();
    await expect(detail.locator('.violations mark').allTextContents()).resolves.toEqual(['/body/taxStatus']);
    await expect(detail.locator('pre').textContent()).resolves.toContain('"legalName": "No tax status"');
    // Each request says which API version answered it.
    await expect(row.textContent()).resolves.toContain('2024-07-30');
    const older = await fetch(`${server.url}/api/customers?limit=1`, {
      headers: { Authorization: AUTH, 'Sequence-Version': '2024-01-01' },
    });
    expect(older.status).toBe(200);
    await page.locator('#requests-table tbody tr', { hasText: '2024-01-01' }).first().waitFor({ timeout: 5000 });
    // The dashboard's own reads are not in the journal it shows.
    await expect(page.locator('#requests-table tbody').textContent()).resolves.not.toContain('limit=20');
    await shot('requests');
  });

  it('adds a fault rule from the form; the next request is answered with it; it counts and is removed', async () => {
    await page.goto(`${server.url}/__admin/ui#/faults`);
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Path').fill('/customers');
    await page.getByLabel('Answer with').selectOption('503');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('#faults-table tbody tr:not(.none)').first().waitFor();
    expect((await api('POST', '/customers', customer('Refused'))).status).toBe(503);
    await page.getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('link', { name: 'Fault rules' }).click();
    await page.locator('#faults-table tbody td', { hasText: /^1$/ }).waitFor();
    await expect(page.locator('#faults-table tbody tr').first().textContent()).resolves.toMatch(/POST \/customers503\s*1until removed/);
    await shot('faults');
    await page.getByRole('button', { name: /^Remove fault-/ }).click();
    await page.locator('#faults-table tbody tr.none', { hasText: 'No fault rules' }).waitFor();
    expect((await api('POST', '/customers', customer('Accepted again'))).status).toBe(201);
  });

  it('lists every collection of the document, each with readable headings and links between records', async () => {
    const usageCo = (await api('POST', '/customers', customer('Usage Co'))).body;
    await api('POST', '/customer-aliases', { customerId: usageCo.id, value: 'usage-co' });
    expect(
      (await api('POST', '/usage-events', { customerAlias: 'usage-co', eventType: 'api_call', eventProperties: { n: 1 } })).status,
    ).toBe(201);
    // A faker customer with activity: an ACTIVE billing schedule and usage events under its alias.
    const seeded = await fetch(`${server.url}/__admin/seed`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ count: 1, seed: 7, withActivity: true }),
    });
    expect(seeded.status).toBe(201);
    const schedule = (await api('GET', '/billing-schedules')).body.items[0];
    const owner = (await api('GET', `/customers/${schedule.customerId}`)).body;
    const catalogue = (await (await fetch(`${server.url}/__admin/collections`, { headers: { Authorization: AUTH } })).json()) as {
      items: { title: string }[];
    };
    await page.goto(`${server.url}/__admin/ui#/records`);
    await page.locator('.catalogue a').first().waitFor();
    // One link per collection the document lists, by its readable title.
    await expect(page.locator('.catalogue a').allTextContents()).resolves.toEqual(catalogue.items.map((e) => e.title));
    expect(catalogue.items.map((e) => e.title)).toEqual(
      expect.arrayContaining(['Billing schedules', 'Usage events', 'Tax rates', 'Credit notes']),
    );
    await shot('resources');
    await page.getByRole('link', { name: 'Billing schedules' }).click();
    const schedules = page.getByRole('region', { name: '1 billing schedules of this partition' });
    await schedules.waitFor();
    // Human headings, not API field names; the customer is a link named by its legal name, not its id.
    await expect(schedules.locator('th').allTextContents()).resolves.toEqual(expect.arrayContaining(['Customer', 'Status', 'Start date']));
    await expect(schedules.locator('tbody').textContent()).resolves.toContain('ACTIVE');
    await schedules.getByRole('link', { name: owner.legalName }).click();
    await page.getByRole('heading', { name: owner.legalName }).waitFor();
    // Usage events: the alias names the row, the type and time beside it.
    await page.goto(`${server.url}/__admin/ui#/records/${encodeURIComponent('/usage-events')}`);
    const events = page.getByRole('region', { name: /usage events of this partition/ });
    await events.locator('tbody tr', { hasText: 'usage-co' }).waitFor();
    await expect(events.locator('tbody tr', { hasText: 'usage-co' }).textContent()).resolves.toContain('api_call');
    // One record: its fields by readable names, the customer a link, and the record as JSON.
    await page.goto(`${server.url}/__admin/ui#/records/${encodeURIComponent('/billing-schedules')}/${schedule.id}`);
    await page.getByRole('heading', { name: /^Billing schedules: / }).waitFor();
    const fields = page.locator('#records dl.record');
    await expect(fields.locator('dt').allTextContents()).resolves.toEqual(expect.arrayContaining(['Customer', 'Start date', 'Status']));
    await fields.getByRole('link', { name: owner.legalName }).waitFor();
    await page.getByText('As JSON').click();
    await expect(page.locator('#records pre').textContent()).resolves.toContain(`"id": "${schedule.id}"`);
  });

  it('shows the test clock, advances it, and lists the invoices the billing run made', async () => {
    const auth = `Basic ${Buffer.from('dash-clock:secret').toString('base64')}`;
    const as = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return await res.json();
    };
    await as('PUT', '/__admin/clock', { now: '2026-01-01T00:00:00Z' });
    const who = await as('POST', '/api/customers', customer('Clock Co'));
    await monthlyPlan(as, who.id, { name: 'Plan', amount: '25.00', autoIssueInvoices: true });
    await page.goto(`${server.url}/__admin/ui#/clock`);
    // The page lists only its own partition's id once it has one: the other is typed in.
    await page.locator('#partition-new').fill('dash-clock');
    await page.getByRole('button', { name: 'Use' }).click();
    await page.locator('#clock-kind', { hasText: '(test clock)' }).waitFor();
    await expect(page.locator('#clock-now').textContent()).resolves.toMatch(/^2026-01-01T/);
    await page.getByLabel('Advance by').fill('P2M');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.locator('#clock-runs tbody tr').nth(2).waitFor();
    const rows = await page.locator('#clock-runs tbody tr').allTextContents();
    // Newest first: March, February, January, each 25.00 and sent.
    expect(rows.map((row) => row.includes('SENT') && row.includes('25.00 GBP'))).toEqual([true, true, true]);
    expect(rows[0]).toContain('2026-03-01 to 2026-03-31');
    await expect(page.locator('#clock-now').textContent()).resolves.toMatch(/^2026-03-01T/);
    await shot('clock');
    await page.getByRole('button', { name: "Back to the server's clock" }).click();
    await page.locator('#clock-kind', { hasText: "(the server's clock)" }).waitFor();
    // The tests after this one use the first partition again.
    await page.locator('#partition-new').fill(PARTITION);
    await page.getByRole('button', { name: 'Use' }).click();
  });

  it('loads without a console error (no /favicon.ico 401), and never resets without a partition', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    const errors: string[] = [];
    fresh.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    const asked: string[] = [];
    fresh.on('request', (req) => void asked.push(new URL(req.url()).pathname));
    fresh.on('dialog', (dialog) => void dialog.accept());
    await fresh.goto(`${server.url}/__admin/ui#/customers`);
    await fresh.getByRole('heading', { name: 'Customers' }).waitFor();
    await fresh.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    expect(asked).not.toContain('/favicon.ico');
    // One load, one read of the partitions (and of the customers).
    expect(asked.filter((path) => path === '/__admin/partitions')).toHaveLength(1);
    expect(asked.filter((path) => path === '/api/customers')).toHaveLength(1);

    // A page with no partition refuses to reset, and sends nothing: no reset of every partition by omission.
    const resets: string[] = [];
    // A page that never had a partition: a new one, on a server that (as far as it knows) has none.
    const blank = await browser.newPage();
    blank.on('request', (req) => void (new URL(req.url()).pathname === '/__admin/reset' && resets.push(req.method())));
    blank.on('dialog', (dialog) => void dialog.accept());
    await blank.route('**/__admin/partitions', (route) => route.fulfill({ json: { items: [] } }));
    await blank.goto(`${server.url}/__admin/ui#/customers`);
    await blank.locator('#status', { hasText: 'No partition yet' }).waitFor();
    // Not offered without a partition; and a click that reaches the button anyway sends nothing.
    await expect(blank.getByRole('button', { name: 'Reset to empty' }).isVisible()).resolves.toBe(false);
    await expect(blank.getByRole('button', { name: 'Seed' }).isVisible()).resolves.toBe(false);
    await blank.locator('#reset-empty').dispatchEvent('click');
    await blank.locator('#status', { hasText: 'Pick or type a partition first' }).waitFor();
    await blank.locator('#seed-form').evaluate((form: HTMLFormElement) => form.requestSubmit());
    expect(resets).toEqual([]);
    // The dashboard asked for no client secret: seeding without a partition was refused in the page.
    await expect(blank.locator('#credentials').isHidden()).resolves.toBe(true);
    await blank.close();
    await fresh.close();
  });

  it('seeds faker customers, then resets the partition and shows the table empty', async () => {
    await page.goto(`${server.url}/__admin/ui#/customers`);
    await page.getByLabel('Faker customers').fill('25');
    await page.getByRole('button', { name: 'Seed' }).click();
    await page.locator('#status', { hasText: 'Added 25 faker customers.' }).waitFor();
    await expect(page.locator('#customers-table tbody tr').count()).resolves.toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForFunction(() => !(document.querySelector('#page-before') as HTMLButtonElement).disabled);
    // 6 customers made by the tests above, then 25: the second page holds the last 11.
    await expect(page.locator('#customers-table tbody tr').count()).resolves.toBe(11);
    await expect(page.locator('#customers-position').textContent()).resolves.toBe('Showing 21–31 of 31');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.locator('#customers-position', { hasText: 'Showing 1–20 of 31' }).waitFor();
    await page.getByRole('button', { name: 'Reset to empty' }).click();
    await page.locator('#customers-caption', { hasText: `0 customers of ${PARTITION}` }).waitFor();
    // An empty table says so, in one row across it.
    await expect(page.locator('#customers-table tbody').textContent()).resolves.toBe(
      'No customers yet: create one through the API, or seed some below.',
    );
    await expect(page.locator('#customers-position').textContent()).resolves.toBe('');
    expect((await api('GET', '/customers')).body.items).toEqual([]);
  });

  it('labels every control, so it can be used by keyboard and screen reader', async () => {
    for (const view of ['customers', 'requests', 'faults', 'webhooks', 'clock', 'records']) {
      await page.goto(`${server.url}/__admin/ui#/${view}`);
      await page.locator(`#view-${view}`).waitFor();
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el as HTMLElement).closest('[hidden]'))
          .filter((el) => {
            const labelled =
              (el as HTMLInputElement).labels?.length ||
              el.getAttribute('aria-label') ||
              (el.tagName === 'BUTTON' && el.textContent?.trim());
            return !labelled;
          })
          .map((el) => el.outerHTML),
      );
      expect(unlabelled).toEqual([]);
    }
    // Keyboard: from a fresh load, Tab passes the skip link and reaches the partition picker; Enter on a nav link changes the view.
    await page.goto('about:blank');
    await page.goto(`${server.url}/__admin/ui#/customers`);
    await page.locator('#view-customers').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('partition');
    await page.getByRole('link', { name: 'Requests' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#view-requests:not([hidden])').waitFor();
    // Focus moves into the view drawn, so the next Tab starts there, not back in the header.
    await page.waitForFunction(() => document.activeElement?.id === 'main');
  });

  it('offers the same fault codes as Prefer', () => {
    const source = readFileSync(new URL('../ui/tools.js', import.meta.url), 'utf8');
    expect(JSON.parse(/FAULT_CODES = (\[[^\]]*\])/.exec(source)![1]!)).toEqual([...PREFER_CODES]);
  });
});

describe('the dashboard with ADMIN_TOKEN', () => {
  it('asks for the token, then sends it', async () => {
    const guarded = await start({ port: 0, logLevel: 'silent', adminToken: 'dash-token' });
    const tab = await browser.newPage();
    try {
      // A write makes the partition (a read with a new client id makes none).
      const made = await fetch(`${guarded.url}/api/customers`, {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify(minimalRequest({ legalName: 'Token Test Ltd' })),
      });
      expect(made.status).toBe(201);
      const failures: string[] = [];
      tab.on('pageerror', (error) => void failures.push(error.message));
      await tab.goto(`${guarded.url}/__admin/ui`);
      const token = tab.getByLabel('Admin token');
      await token.waitFor();
      const why = await tab.locator('#credentials-why').textContent();
      expect(why).toMatch(/X-Admin-Token/i);
      expect(why).not.toMatch(/\.\.$/);
      // A client id typed before the token: asked for the token again, and no unhandled rejection.
      await tab.locator('#partition-new').fill(PARTITION);
      await tab.getByRole('button', { name: 'Use' }).click();
      await token.waitFor();
      // A wrong token is said to be refused, and the field is emptied for another try.
      await token.fill('not-the-token');
      await tab.getByRole('button', { name: 'Continue' }).click();
      await tab.locator('#credentials-why', { hasText: 'That admin token was refused' }).waitFor();
      await expect(token.inputValue()).resolves.toBe('');
      expect(failures).toEqual([]);
      await token.fill('dash-token');
      await tab.getByRole('button', { name: 'Continue' }).click();
      await tab.locator('#partition option', { hasText: PARTITION }).waitFor({ state: 'attached' });
      await tab.getByRole('link', { name: 'FinTech Solutions Inc.' }).waitFor();
    } finally {
      await tab.close();
      await guarded.close();
    }
  });
});
