// Webhooks (docs/webhooks.md): the engine's events (src/engine/events.ts) delivered to the URLs of
// the partition's WEBHOOK notification policies, signed as Sequence signs them.
//   - An event becomes one delivery per matching policy and recipient: a record of the partition
//     (so a durable store keeps it: a pending delivery survives a restart), holding the exact body.
//   - Delivery runs in the background once the change that raised it is durable: never in the API
//     call's way. Each attempt is a POST with Content-Type: application/json and
//     Sequence-Signature: t=<unix ms>,s=<hex HMAC-SHA256 of "<t>.<body>" keyed by the policy's secret>
//     (a fresh t per attempt, the same body bytes).
//   - A 2xx delivers it. Anything else (another status, a timeout, a refused connection) is retried
//     after retryBase x 2^(attempt-1), until maxAttempts; then it is FAILED. At least once: a
//     receiver may see an event twice (a 2xx lost on the way, a redelivery).
//   - Order per resource and URL: a delivery waits while an earlier one for the same resource and URL
//     is pending.
//   - At most MAX_IN_FLIGHT attempts per partition are open at once, so a hanging endpoint holds a
//     few sockets, not one per event.
//   - Each partition keeps at most maxKept deliveries: past that the oldest finished one goes, or the
//     oldest pending one (logged, and counted as dropped), so a dead endpoint never grows memory.
//   - Paused (per partition), deliveries queue and wait; resumed, they go.
//   - A fault rule with method WEBHOOK and path /<notificationType> answers an attempt instead of the
//     receiver (its code fails it, its delay slows it), as rules answer the API.
import type { Logger } from 'pino';
import { accountIdOf } from '../../engine/account.js';
import { clockOf, type Clock } from '../../engine/clock.js';
import type { Engine } from '../../engine/engine.js';
import type { EventSink, ResourceEvent } from '../../engine/events.js';
import type { Partition, Store } from '../../engine/store/types.js';
import type { FaultRules } from '../../http/faults.js';
import {
  DELIVERIES,
  POLICIES,
  signatureHeader,
  trimDeliveries,
  WEBHOOK_DEFAULTS,
  type Attempt,
  type DeliveryRecord,
  type WebhookOptions,
} from './deliveries.js';
import { post } from './send.js';
import { strings } from '../../engine/values.js';

export interface WebhookDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  faults: FaultRules;
  options?: Partial<WebhookOptions>;
}

/** Attempts at once per partition. */
export const MAX_IN_FLIGHT = 8;

export class Webhooks implements EventSink {
  readonly options: WebhookOptions;
  private readonly paused = new Set<string>();
  private readonly dropped = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  /** Attempts in flight per partition: a hanging endpoint holds at most MAX_IN_FLIGHT sockets of it. */
  private readonly busy = new Map<string, number>();
  private readonly scheduled = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private engine: Engine | undefined;
  private closed = false;

  constructor(private readonly deps: WebhookDeps) {
    this.options = { ...WEBHOOK_DEFAULTS, ...deps.options };
  }

  /** The engine, for events asked for by hand (trigger): set by the app that made it. */
  attach(engine: Engine): void {
    this.engine = engine;
  }

  wants(partition: Partition): boolean {
    return partition.count(POLICIES, 'channel', 'WEBHOOK') > 0;
  }

  emit(target: { partition: Partition; clientId: string; accountId: string; clock: Clock }, events: readonly ResourceEvent[]): void {
    this.record(target, events);
  }

  /** The deliveries events make, kept in the partition and sent once the change is durable. */
  private record(
    { partition, clientId, accountId, clock }: { partition: Partition; clientId: string; accountId: string; clock: Clock },
    events: readonly ResourceEvent[],
  ): DeliveryRecord[] {
    const made: DeliveryRecord[] = [];
    const policies = partition.find(POLICIES, 'channel', 'WEBHOOK');
    for (const event of events) {
      const body = JSON.stringify({
        notificationType: event.notificationType,
        sequenceAccountId: accountId,
        resourceType: event.resourceType,
        resourceId: event.resourceId,
        resource: event.resource,
      });
      const eventId = clock.newId();
      const now = clock.now().toISOString();
      for (const policy of policies) {
        const types = strings(policy.notificationTypes);
        // No types listed: the policy covers every type.
        if (types.length > 0 && !types.includes(event.notificationType)) continue;
        for (const url of strings(policy.recipients)) {
          const delivery: DeliveryRecord = {
            id: clock.newId(),
            eventId,
            policyId: policy.id,
            url,
            notificationType: event.notificationType,
            resourceId: event.resourceId,
            body,
            createdAt: now,
            status: 'PENDING',
            attempts: [],
            // Attempts run on real time, whatever the partition's test clock reads (a clock set ahead
            // would otherwise hold deliveries until the world caught up with it).
            nextAttemptAt: new Date().toISOString(),
          };
          partition.put(DELIVERIES, delivery);
          made.push(delivery);
        }
      }
    }
    if (made.length > 0) {
      this.trim(partition, clientId);
      this.kick(clientId);
    }
    return made;
  }

  /** At most maxKept deliveries per partition: the oldest finished go first, then the oldest pending (dropped). */
  private trim(partition: Partition, clientId: string): void {
    const dropped = trimDeliveries(partition, this.options.maxKept);
    if (dropped === 0) return;
    this.dropped.set(clientId, (this.dropped.get(clientId) ?? 0) + dropped);
    this.deps.logger.warn(
      { partition: clientId, dropped },
      'webhook deliveries dropped, oldest first: the partition keeps at most %d deliveries',
      this.options.maxKept,
    );
  }

  /** Sends what is due in a partition once everything written so far is durable. */
  kick(clientId: string): void {
    if (this.closed || this.scheduled.has(clientId)) return;
    // One run per partition waits for the commit, however many changes ask for it meanwhile.
    this.scheduled.add(clientId);
    void this.deps.store.commit().then(
      () => {
        this.scheduled.delete(clientId);
        this.run(clientId);
      },
      () => this.scheduled.delete(clientId),
    );
  }

  /** After a restart: every partition's pending deliveries are due again. */
  resume(): void {
    for (const clientId of this.deps.store.partitionIds())
      if (this.deps.store.partition(clientId).count(DELIVERIES, 'pending', 'pending') > 0) this.kick(clientId);
  }

  private run(clientId: string): void {
    if (this.closed || this.paused.has(clientId)) return;
    // At the cap nothing can start: the attempt that ends first runs this again.
    if ((this.busy.get(clientId) ?? 0) >= MAX_IN_FLIGHT) return;
    const partition = this.deps.store.partition(clientId);
    const now = Date.now();
    const waiting = new Set<string>();
    let wake = Infinity;
    for (const delivery of partition.find(DELIVERIES, 'pending', 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      const order = `${delivery.url} ${delivery.resourceId}`;
      if (waiting.has(order)) continue;
      waiting.add(order);
      if (this.inFlight.has(delivery.id)) continue;
      const due = delivery.nextAttemptAt === undefined ? 0 : Date.parse(delivery.nextAttemptAt);
      if (due > now) wake = Math.min(wake, due);
      else if ((this.busy.get(clientId) ?? 0) < MAX_IN_FLIGHT) void this.attempt(clientId, delivery);
      // Past the cap the rest waits: each attempt that ends runs this again.
    }
    clearTimeout(this.timers.get(clientId));
    if (wake !== Infinity)
      this.timers.set(
        clientId,
        setTimeout(() => this.run(clientId), wake - now),
      );
  }

  private async attempt(clientId: string, delivery: DeliveryRecord): Promise<void> {
    this.inFlight.add(delivery.id);
    this.busy.set(clientId, (this.busy.get(clientId) ?? 0) + 1);
    try {
      const partition = this.deps.store.partition(clientId);
      const fault = this.deps.faults.take({ method: 'WEBHOOK', path: `/${delivery.notificationType}`, partition: clientId });
      if (fault?.respond.delay) await new Promise((resolve) => setTimeout(resolve, fault.respond.delay));
      const secret = partition.get(POLICIES, delivery.policyId)?.webhookSecret;
      const t = Date.now();
      const signature = signatureHeader(typeof secret === 'string' ? secret : '', t, delivery.body);
      const outcome: Pick<Attempt, 'statusCode' | 'error'> = fault?.respond.code
        ? { statusCode: fault.respond.code }
        : await post(delivery.url, delivery.body, signature, this.options.timeoutMs);
      const attempt: Attempt = { at: new Date(t).toISOString(), signature, ...outcome, durationMs: Date.now() - t };
      // The partition may have been reset, or the delivery dropped, meanwhile: then it is gone.
      const current = this.deps.store.partition(clientId).get(DELIVERIES, delivery.id);
      if (!current || this.closed) return;
      const attempts = [...current.attempts, attempt];
      const ok = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const { nextAttemptAt: _next, ...rest } = current;
      const updated: DeliveryRecord = ok
        ? { ...rest, attempts, status: 'DELIVERED' }
        : attempts.length - this.attemptsBefore(current) >= this.options.maxAttempts
          ? { ...rest, attempts, status: 'FAILED' }
          : { ...rest, attempts, nextAttemptAt: new Date(t + this.backoff(attempts.length - this.attemptsBefore(current))).toISOString() };
      this.deps.store.partition(clientId).put(DELIVERIES, updated);
      if (!ok)
        this.deps.logger.info({ partition: clientId, delivery: delivery.id, url: delivery.url, ...outcome }, 'webhook attempt failed');
    } finally {
      this.inFlight.delete(delivery.id);
      const left = (this.busy.get(clientId) ?? 1) - 1;
      if (left > 0) this.busy.set(clientId, left);
      else this.busy.delete(clientId);
      this.kick(clientId);
    }
  }

  private attemptsBefore(delivery: DeliveryRecord): number {
    return delivery.roundStart ?? 0;
  }

  private backoff(attemptsMade: number): number {
    return this.options.retryBaseMs * 2 ** (attemptsMade - 1);
  }

  /** A partition's deliveries, newest first. */
  list(clientId: string): DeliveryRecord[] {
    return [...this.deps.store.partition(clientId).all(DELIVERIES)].reverse();
  }

  /** Sends a delivery again now, whatever became of it, with a fresh round of attempts. */
  redeliver(clientId: string, id: string): DeliveryRecord | undefined {
    const partition = this.deps.store.partition(clientId);
    const delivery = partition.get(DELIVERIES, id);
    if (!delivery) return undefined;
    const again = {
      ...delivery,
      status: 'PENDING' as const,
      nextAttemptAt: new Date().toISOString(),
      roundStart: delivery.attempts.length,
    };
    partition.put(DELIVERIES, again);
    this.kick(clientId);
    return again;
  }

  /** Raises an event by hand (as `stripe trigger` does): the resource as a GET answers it now. Undefined when there is no such resource. */
  trigger(clientId: string, notificationType: string, resourceId: string): DeliveryRecord[] | undefined {
    if (!this.engine) throw new Error('webhooks: no engine attached');
    const partition = this.deps.store.partition(clientId);
    const clock = clockOf(partition, this.deps.clock);
    const request = { partition, clientId, params: {}, body: undefined, clock, example: undefined, readQuery: () => ({}) };
    const event = this.engine.event(request, notificationType, resourceId);
    if (!event) return undefined;
    return this.record({ partition, clientId, accountId: accountIdOf(clientId), clock }, [event]);
  }

  /** The document's notification types (what trigger accepts). */
  get types(): ReadonlySet<string> {
    return this.engine?.eventTypes ?? new Set();
  }

  setPaused(clientId: string, paused: boolean): void {
    if (paused) this.paused.add(clientId);
    else {
      this.paused.delete(clientId);
      this.kick(clientId);
    }
  }

  isPaused(clientId: string): boolean {
    return this.paused.has(clientId);
  }

  droppedIn(clientId: string): number {
    return this.dropped.get(clientId) ?? 0;
  }

  /** Stops every timer; attempts in flight finish without writing. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
