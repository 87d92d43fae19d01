// A small typed client for the admin API, for tests whose fake runs in another process or a
// container (in-process tests can call start()'s handle directly).
import type { components } from './generated/mock.js';

type Schemas = components['schemas'];

export interface AdminClientOptions {
  /** The fake's base URL, e.g. http://localhost:4010 */
  baseUrl: string;
  /** Sequence credentials: scope every call to that client id's partition. */
  clientId?: string;
  clientSecret?: string;
  /** The server's ADMIN_TOKEN, when it has one. */
  adminToken?: string;
}

export class AdminClient {
  constructor(private readonly options: AdminClientOptions) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { baseUrl, clientId, clientSecret, adminToken } = this.options;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (adminToken !== undefined) headers['x-admin-token'] = adminToken;
    if (clientId !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret ?? 'secret'}`).toString('base64')}`;
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/__admin${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sequence-mock admin ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  health(): Promise<{ status: 'ok' }> {
    return this.call('GET', '/health');
  }

  /** Resets the client id's partition; without a client id, every partition (the body says so: {"all": true}). */
  reset(to?: 'fixtures' | 'empty'): Promise<{ reset: string; to: string }> {
    return this.call('POST', '/reset', { ...(to !== undefined && { to }), ...(this.options.clientId === undefined && { all: true }) });
  }

  seed(
    options: { count?: number; seed?: number; withChildren?: boolean; withActivity?: boolean } = {},
  ): Promise<{ items: Schemas['Customer'][] }> {
    return this.call('POST', '/seed', options);
  }

  async requests(
    filter: { path?: string; method?: string; status?: number; partition?: string; limit?: number } = {},
  ): Promise<Schemas['JournalEntry'][]> {
    const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return (await this.call<{ items: Schemas['JournalEntry'][] }>('GET', `/requests${query ? `?${query}` : ''}`)).items;
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/requests');
  }

  addFault(rule: Schemas['FaultRuleRequest']): Promise<Schemas['FaultRule']> {
    return this.call('POST', '/faults', rule);
  }

  async faults(): Promise<Schemas['FaultRule'][]> {
    return (await this.call<{ items: Schemas['FaultRule'][] }>('GET', '/faults')).items;
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', '/faults');
  }

  /** Webhook deliveries of the client id's partition, newest first, with their bodies and attempts. */
  async webhooks(
    filter: { status?: 'PENDING' | 'DELIVERED' | 'FAILED'; notificationType?: string; limit?: number } = {},
  ): Promise<Schemas['WebhookDelivery'][]> {
    const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return (await this.call<{ items: Schemas['WebhookDelivery'][] }>('GET', `/webhooks${query ? `?${query}` : ''}`)).items;
  }

  redeliverWebhook(id: string): Promise<Schemas['WebhookDelivery']> {
    return this.call('POST', `/webhooks/${encodeURIComponent(id)}/redeliver`);
  }

  /** Raises an event for a resource by hand, to every matching policy (as stripe trigger does). */
  async triggerWebhook(notificationType: string, resourceId: string): Promise<Schemas['WebhookDelivery'][]> {
    return (await this.call<{ items: Schemas['WebhookDelivery'][] }>('POST', '/webhooks/trigger', { notificationType, resourceId })).items;
  }

  pauseWebhooks(paused = true): Promise<{ paused: boolean }> {
    return this.call('PUT', '/webhooks/paused', { paused });
  }

  /** The partition's clock: a test clock, or the server's. */
  clock(): Promise<Schemas['ClockView']> {
    return this.call('GET', '/clock');
  }

  /** Puts the partition's test clock at a time; moving it forward runs billing up to its day. */
  setClock(now: Date | string): Promise<Schemas['ClockRun']> {
    return this.call('PUT', '/clock', { now: typeof now === 'string' ? now : now.toISOString() });
  }

  /** Moves the test clock forward by an ISO 8601 duration (P1M, P10D, PT1H) or to a time, running billing on the way. */
  advanceClock(move: { by: string } | { to: Date | string }): Promise<Schemas['ClockRun']> {
    return this.call(
      'POST',
      '/clock/advance',
      'by' in move ? { by: move.by } : { to: typeof move.to === 'string' ? move.to : move.to.toISOString() },
    );
  }

  resetClock(): Promise<Schemas['ClockView']> {
    return this.call('DELETE', '/clock');
  }
}
