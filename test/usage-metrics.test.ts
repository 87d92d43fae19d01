// GET /usage-metrics/{id}/calculate over the partition's own events: a SUM and a UNIQUE metric with
// property filters, worked out by hand from the events listed below.
import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
let auth = '';
let customerId = '';

const EVENTS: [alias: 'alias' | 'id', type: string, at: string, properties: Record<string, unknown>][] = [
  ['alias', 'message_sent', '2025-01-05T10:00:00Z', { channel: 'email', length: 100.5, user: 'a' }],
  ['alias', 'message_sent', '2025-01-10T00:00:00Z', { channel: 'SMS', length: 20.25, user: 'b' }],
  ['alias', 'message_sent', '2025-01-20T00:00:00Z', { channel: 'push', length: 1000, user: 'a' }],
  ['alias', 'message_sent', '2025-02-01T00:00:00Z', { channel: 'email', length: 7, user: 'c' }], // after the period
  ['alias', 'other_event', '2025-01-06T00:00:00Z', { channel: 'email', length: 50, user: 'e' }], // another type
  ['alias', 'message_sent', '2025-01-31T23:59:59Z', { channel: 'internal', length: 3, user: 'd' }],
  ['id', 'message_sent', '2025-01-15T00:00:00Z', { channel: 'sms', length: 0.25, user: 'b' }], // sent under the customer's id
];

beforeAll(async () => {
  auth = freshClient();
  const customer = await request(app)
    .post('/customers')
    .set('Authorization', auth)
    .send(minimalRequest({ customerAliases: ['acme-usage'] }));
  expect(customer.status).toBe(201);
  customerId = customer.body.id;
  for (const [alias, eventType, eventTimestamp, eventProperties] of EVENTS) {
    const res = await request(app)
      .post('/usage-events')
      .set('Authorization', auth)
      .send({ customerAlias: alias === 'alias' ? 'acme-usage' : customerId, eventType, eventTimestamp, eventProperties });
    expect(res.status).toBe(201);
  }
});

async function metric(body: Record<string, unknown>): Promise<string> {
  const res = await request(app)
    .post('/usage-metrics')
    .set('Authorization', auth)
    .send({ name: `metric ${Math.random()}`, metricType: 'SIMPLE', eventType: 'message_sent', ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const calculate = (id: string, customerAliases = 'acme-usage') =>
  request(app)
    .get(`/usage-metrics/${id}/calculate`)
    .query({ customerAliases, periodStart: '2025-01-01', periodEnd: '2025-01-31' })
    .set('Authorization', auth);

describe('usage metrics calculate', () => {
  it('SUM of a property over January, channel email or sms in any case: 100.5 + 20.25 + 0.25 = 121 over 3 events', async () => {
    const id = await metric({
      aggregationType: 'SUM',
      aggregationProperty: 'length',
      propertyFilters: { channel: ['email', 'sms'] },
      caseSensitive: false,
    });
    const res = await calculate(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ aggregationType: 'SUM', eventType: 'message_sent', eventCount: 3, value: 121 });
  });

  it('UNIQUE users, internal channel negated: a, b, a, b -> 2 over 4 events; the same asked by customer id', async () => {
    const id = await metric({
      aggregationType: 'UNIQUE',
      aggregationProperty: 'user',
      propertyFilters: { channel: ['internal'] },
      propertiesToNegate: ['channel'],
      caseSensitive: true,
    });
    expect((await calculate(id)).body).toMatchObject({ aggregationType: 'UNIQUE', eventCount: 4, value: 2 });
    expect((await calculate(id, customerId)).body).toMatchObject({ eventCount: 4, value: 2 });
  });

  it('COUNT with no filters counts every message_sent of the period: 5; another customer has none', async () => {
    const id = await metric({ aggregationType: 'COUNT' });
    expect((await calculate(id)).body).toMatchObject({ eventCount: 5, value: 5 });
    expect((await calculate(id, 'nobody')).body).toMatchObject({ eventCount: 0, value: 0 });
  });

  it('an unknown metric is a 404 naming it', async () => {
    const res = await calculate(crypto.randomUUID());
    expect(res.status).toBe(404);
    expect(res.body.error.errors[0].path).toBe('/path/usageMetricId');
  });
});
