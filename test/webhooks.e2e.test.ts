// Webhooks end to end: a real local HTTP receiver, policies made through the API, state changed
// through the API, and what arrived checked as a user's handler would check it: the body, the
// headers, and the signature computed here with node:crypto (not with the fake's own function).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start, type RunningServer } from '../src/server.js';
import { AdminClient, createWebhookReceiver } from '../src/index.js';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
}

/** A receiver that answers each request with the next status of `script` (then 200), and keeps what it got. */
async function receiver(script: number[] = []) {
  const got: Received[] = [];
  const waiting: (() => void)[] = [];
  const statuses = [...script];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ headers: req.headers, raw, body: JSON.parse(raw), at: Date.now() });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      for (const wake of waiting.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  /** Waits until `n` requests have arrived (or 10 s). */
  const count = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (got.length < n && Date.now() < deadline) await new Promise<void>((resolve) => (waiting.push(resolve), setTimeout(resolve, 200)));
    return got;
  };
  return { url, got, count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Verifies a Sequence-Signature header as the page says: HMAC-SHA256 of "<t>.<raw body>", hex, constant-time compared. */
function verified(header: string | undefined, raw: string, secret: string): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.s) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest();
  const given = Buffer.from(parts.s, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let fake: RunningServer;
let clients = 0;
beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent', strict: true, webhooks: { retryBaseMs: 200, timeoutMs: 1_000 } });
});
afterAll(() => fake.close());
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function client() {
  clients += 1;
  const auth = `Basic ${Buffer.from(`hooks-${process.pid}-${clients}:secret`).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return call;
}

/**
 * The partition's deliveries once `n` of them are no longer PENDING: a receiver has the request
 * before the fake has recorded its answer.
 */
async function settled(call: ReturnType<typeof client>, n: number): Promise<any[]> {
  for (const deadline = Date.now() + 10_000; ;) {
    const items = (await call('GET', '/__admin/webhooks')).body.items as any[];
    if (items.filter((d) => d.status !== 'PENDING').length >= n || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A receiver answering `script`, a client of its own, and a WEBHOOK policy of that client to the receiver. */
async function hooked(script: number[], name: string, webhookSecret: string) {
  const hooks = await receiver(script);
  open.push(hooks);
  const call = client();
  const policy = await call('POST', '/api/notifications/policies', { name, channel: 'WEBHOOK', recipients: [hooks.url], webhookSecret });
  expect(policy.status).toBe(201);
  return { hooks, call };
}

const customer = {
  legalName: 'Hooked Ltd',
  address: { line1: '1 High St', town: 'London', postcode: 'E1 1AA', country: 'GB' },
  taxStatus: 'TAXED',
  contacts: [],
};

describe('webhooks', () => {
  it('deliver signed events of state changes to the policy URL, with the resource as a GET answers it', async () => {
    const hooks = await receiver();
    open.push(hooks);
    const call = client();
    const policy = await call('POST', '/api/notifications/policies', {
      name: 'Hooks',
      channel: 'WEBHOOK',
      recipients: [hooks.url],
      webhookSecret: 'whsec_test_secret',
    });
    expect(policy.status).toBe(201);
    const made = await call('POST', '/api/customers', customer);
    expect(made.status).toBe(201);
    const updated = await call('PUT', `/api/customers/${made.body.id}`, { ...customer, legalName: 'Hooked Group Ltd' });
    expect(updated.status).toBe(200);

    const got = await hooks.count(2);
    expect(got.map((r) => r.body.notificationType)).toEqual(['CUSTOMER_CREATED', 'CUSTOMER_UPDATED']);
    const [created, changed] = got;
    expect(created!.headers['content-type']).toBe('application/json');
    expect(verified(created!.headers['sequence-signature'] as string, created!.raw, 'whsec_test_secret')).toBe(true);
    expect(verified(created!.headers['sequence-signature'] as string, created!.raw, 'whsec_other')).toBe(false);
    // t is unix milliseconds, close to now.
    const t = Number(/t=(\d+)/.exec(created!.headers['sequence-signature'] as string)![1]);
    expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
    expect(created!.body).toMatchObject({
      notificationType: 'CUSTOMER_CREATED',
      sequenceAccountId: made.body.sequenceAccountId ?? expect.any(String),
      resourceId: made.body.id,
      resourceType: expect.any(String),
      resource: { id: made.body.id, legalName: 'Hooked Ltd' },
    });
    expect(changed!.body.resource).toEqual((await call('GET', `/api/customers/${made.body.id}`)).body);

    // The admin API shows each delivery with its exact body and signature.
    await settled(call, 2);
    const listed = await call('GET', '/__admin/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: any) => [d.notificationType, d.status, d.attempts.length])).toEqual([
      ['CUSTOMER_UPDATED', 'DELIVERED', 1],
      ['CUSTOMER_CREATED', 'DELIVERED', 1],
    ]);
    expect(listed.body.items[1].body).toBe(created!.raw);
    expect(listed.body.items[1].attempts[0].signature).toBe(created!.headers['sequence-signature']);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_test_secret');
  });

  it('sends only the types a policy lists, and a generated secret when none was sent', async () => {
    const hooks = await receiver();
    open.push(hooks);
    const call = client();
    const policy = await call('POST', '/api/notifications/policies', {
      name: 'Invoices only',
      channel: 'WEBHOOK',
      recipients: [hooks.url],
      notificationTypes: ['INVOICE_CREATED', 'INVOICE_ISSUED'],
    });
    const secret = policy.body.webhookSecret as string;
    expect(secret).toMatch(/^whsec_/);
    const who = await call('POST', '/api/customers', customer);
    const invoice = await call('POST', '/api/invoices', { currency: 'GBP', customerId: who.body.id });
    await call('POST', `/api/invoices/${invoice.body.id}/line-items`, {
      title: 'x',
      quantity: '1',
      rate: '10.00',
      taxRate: '0',
      externalIds: [],
    });
    expect((await call('POST', `/api/invoices/${invoice.body.id}/finalize`)).status).toBe(200);

    const got = await hooks.count(2);
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing else arrives
    expect(got.map((r) => r.body.notificationType)).toEqual(['INVOICE_CREATED', 'INVOICE_ISSUED']);
    expect(got.every((r) => verified(r.headers['sequence-signature'] as string, r.raw, secret))).toBe(true);
    expect(got[1]!.body.resource).toMatchObject({ id: invoice.body.id, status: 'FINAL', invoiceNumber: 'INV00001', grossTotal: '10.00' });
  });

  it('retries a failing endpoint with backoff, the same body each time, and a fresh signature', async () => {
    const { hooks, call } = await hooked([500, 503], 'Flaky', 'whsec_flaky');
    await call('POST', '/api/customers', customer);
    const got = await hooks.count(3);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.raw)).size).toBe(1);
    expect(got.every((r) => verified(r.headers['sequence-signature'] as string, r.raw, 'whsec_flaky'))).toBe(true);
    const [delivery] = await settled(call, 1);
    expect(delivery.status).toBe('DELIVERED');
    // Backoff 200 ms, then 400 ms (retryBaseMs 200 in this server), between the attempts' starts as
    // the fake records them (arrival times at the receiver also carry each request's own latency).
    const starts = delivery.attempts.map((a: any) => Date.parse(a.at));
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(195);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(395);
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([500, 503, 200]);
  });

  it('gives up after the attempts allowed, and redelivers on demand', async () => {
    const { hooks, call } = await hooked([500, 500, 500, 500, 500], 'Down', 'whsec_down');
    await call('POST', '/api/customers', customer);
    await hooks.count(5);
    let delivery: any;
    for (let i = 0; i < 50 && delivery?.status !== 'FAILED'; i += 1) {
      [delivery] = (await call('GET', '/__admin/webhooks')).body.items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([delivery.status, delivery.attempts.length]).toEqual(['FAILED', 5]);
    const again = await call('POST', `/__admin/webhooks/${delivery.id}/redeliver`);
    expect([again.status, again.body.status]).toEqual([200, 'PENDING']);
    const got = await hooks.count(6);
    expect(got).toHaveLength(6);
    expect(got[5]!.raw).toBe(got[0]!.raw);
    expect((await call('POST', '/__admin/webhooks/nope/redeliver')).status).toBe(404);
  });

  it('raises any event type for a resource on demand, and holds deliveries while paused', async () => {
    const { hooks, call } = await hooked([], 'All', 'whsec_all');
    expect((await call('PUT', '/__admin/webhooks/paused', { paused: true })).body).toEqual({ paused: true });
    const who = await call('POST', '/api/customers', customer);
    const triggered = await call('POST', '/__admin/webhooks/trigger', { notificationType: 'CUSTOMER_ARCHIVED', resourceId: who.body.id });
    expect(triggered.status).toBe(201);
    expect(triggered.body.items.map((d: any) => d.notificationType)).toEqual(['CUSTOMER_ARCHIVED']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.got).toHaveLength(0);
    expect((await call('GET', '/__admin/webhooks')).body).toMatchObject({ paused: true });
    await call('PUT', '/__admin/webhooks/paused', { paused: false });
    const got = await hooks.count(2);
    expect(got.map((r) => r.body.notificationType)).toEqual(['CUSTOMER_CREATED', 'CUSTOMER_ARCHIVED']);
    expect(got[1]!.body.resource.id).toBe(who.body.id);

    expect((await call('POST', '/__admin/webhooks/trigger', { notificationType: 'NOT_A_TYPE', resourceId: who.body.id })).status).toBe(400);
    expect((await call('POST', '/__admin/webhooks/trigger', { notificationType: 'CUSTOMER_UPDATED', resourceId: 'nobody' })).status).toBe(
      404,
    );
  });

  it('lets a fault rule fail deliveries, as rules fail API calls', async () => {
    const { hooks, call } = await hooked([], 'Faulty', 'whsec_f');
    const rule = await call('POST', '/__admin/faults', {
      match: { method: 'WEBHOOK', path: '/CUSTOMER_CREATED' },
      respond: { code: 500 },
      times: 1,
    });
    expect(rule.status).toBe(201);
    await call('POST', '/api/customers', customer);
    const got = await hooks.count(1);
    expect(got).toHaveLength(1); // the first attempt was the rule's, the retry reached the receiver
    const [delivery] = await settled(call, 1);
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([500, 200]);
  });

  it("keeps the order of one resource's events: a later event waits while an earlier one is retried", async () => {
    const { hooks, call } = await hooked([500], 'Ordered', 'whsec_o');
    const made = await call('POST', '/api/customers', customer);
    await call('PUT', `/api/customers/${made.body.id}`, { ...customer, legalName: 'Second' });
    await call('PUT', `/api/customers/${made.body.id}`, { ...customer, legalName: 'Third' });
    const got = await hooks.count(4);
    expect(got.map((r) => [r.body.notificationType, r.body.resource.legalName])).toEqual([
      ['CUSTOMER_CREATED', 'Hooked Ltd'], // answered 500
      ['CUSTOMER_CREATED', 'Hooked Ltd'],
      ['CUSTOMER_UPDATED', 'Second'],
      ['CUSTOMER_UPDATED', 'Third'],
    ]);
  });

  it('offers a receiver for tests in the programmatic API, which checks signatures', async () => {
    const hooks = await createWebhookReceiver();
    open.push(hooks);
    const call = client();
    const policy = await call('POST', '/api/notifications/policies', { name: 'Receiver', channel: 'WEBHOOK', recipients: [hooks.url] });
    hooks.secret = policy.body.webhookSecret;
    const who = await call('POST', '/api/customers', customer);
    const invoice = await call('POST', '/api/invoices', { currency: 'GBP', customerId: who.body.id });
    await call('POST', `/api/invoices/${invoice.body.id}/finalize`);
    const issued = await hooks.next('INVOICE_ISSUED');
    expect(issued.verified).toBe(true);
    expect(verified(issued.headers['sequence-signature'] as string, issued.raw, policy.body.webhookSecret)).toBe(true);
    expect(issued.body.resource).toMatchObject({ id: invoice.body.id, status: 'FINAL' });
    // Skipped over, not lost: the earlier events are still there for next().
    expect((await hooks.next()).notificationType).toBe('CUSTOMER_CREATED');
    expect((await hooks.next('INVOICE_CREATED')).body.resourceId).toBe(invoice.body.id);
    await expect(hooks.next('QUOTE_ACCEPTED', 200)).rejects.toThrow('no QUOTE_ACCEPTED within 200 ms');
  });
});

describe('webhooks on a test clock', () => {
  it('deliver at once with a clock set days ahead, the event dated by the clock', async () => {
    const hooks = await createWebhookReceiver({ secret: 'whsec_ahead' });
    open.push(hooks);
    const clientId = `hooks-ahead-${process.pid}`;
    // Ten days ahead: a delivery scheduled on the partition's clock would wait ten days.
    const ahead = new Date(Date.now() + 10 * 86_400_000);
    await fake.clock(clientId).set(ahead);
    const auth = `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`;
    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}/api${path}`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/notifications/policies', { name: 'Ahead', channel: 'WEBHOOK', recipients: [hooks.url], webhookSecret: 'whsec_ahead' });
    await post('/customers', customer);
    const created = await hooks.next('CUSTOMER_CREATED', 3_000);
    expect(created.verified).toBe(true);
    expect(String(created.body.resource!.createdAt).slice(0, 10)).toBe(ahead.toISOString().slice(0, 10));
    const [delivery] = await new AdminClient({ baseUrl: fake.url, clientId }).webhooks();
    expect(delivery!.createdAt.slice(0, 10)).toBe(ahead.toISOString().slice(0, 10));
  });
});

describe('webhooks through the AdminClient', () => {
  it('lists, triggers, redelivers and pauses for its client id', async () => {
    const hooks = await createWebhookReceiver({ secret: 'whsec_admin' });
    open.push(hooks);
    const clientId = `hooks-admin-${process.pid}`;
    const admin = new AdminClient({ baseUrl: fake.url, clientId });
    const auth = `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`;
    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}/api${path}`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/notifications/policies', { name: 'Admin', channel: 'WEBHOOK', recipients: [hooks.url], webhookSecret: 'whsec_admin' });
    const who = (await (await post('/customers', customer)).json()) as { id: string };
    expect((await hooks.next('CUSTOMER_CREATED')).verified).toBe(true);
    expect(await admin.pauseWebhooks(true)).toEqual({ paused: true });
    const [triggered] = await admin.triggerWebhook('CUSTOMER_UPDATED', who.id);
    expect(triggered!.status).toBe('PENDING');
    await admin.pauseWebhooks(false);
    expect((await hooks.next('CUSTOMER_UPDATED')).body.resourceId).toBe(who.id);
    let delivered = await admin.webhooks({ status: 'DELIVERED' });
    // The receiver has the request before the fake records its answer.
    for (let i = 0; i < 100 && delivered.length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivered = await admin.webhooks({ status: 'DELIVERED' });
    }
    expect(delivered.map((d) => d.notificationType)).toEqual(['CUSTOMER_UPDATED', 'CUSTOMER_CREATED']);
    await admin.redeliverWebhook(delivered[1]!.id);
    expect((await hooks.next('CUSTOMER_CREATED')).raw).toBe(delivered[1]!.body);
  });
});

describe('webhooks to an endpoint that never answers', () => {
  it('keep at most maxKept deliveries per partition, dropping the oldest and counting them', async () => {
    const small = await start({ port: 0, logLevel: 'silent', webhooks: { maxKept: 5 } });
    try {
      const auth = `Basic ${Buffer.from('hooks-cap:secret').toString('base64')}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${small.url}${path}`, {
          method,
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: await res.json() };
      };
      await call('PUT', '/__admin/webhooks/paused', { paused: true });
      // Port 9 (discard) on localhost: nothing listens, every attempt would fail.
      await call('POST', '/api/notifications/policies', { name: 'Dead', channel: 'WEBHOOK', recipients: ['http://127.0.0.1:9/dead'] });
      const ids: string[] = [];
      for (let i = 0; i < 8; i += 1) ids.push((await call('POST', '/api/customers', { ...customer, legalName: `C${i}` })).body.id);
      const listed = await call('GET', '/__admin/webhooks');
      expect(listed.body.items).toHaveLength(5);
      expect(listed.body.dropped).toBe(3);
      // The newest are kept.
      expect(listed.body.items.map((d: any) => d.resourceId)).toEqual(ids.slice(3).reverse());
    } finally {
      await small.close();
    }
  });
});
