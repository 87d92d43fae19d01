// What a webhook delivery is, as kept in the partition (so a durable store keeps it), and how it is
// signed: Sequence-Signature: t=<unix ms>,s=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the secret>.
import { createHmac } from 'node:crypto';
import { collection, type Partition, type StoredRecord } from '../../engine/store/types.js';
import type { components } from '../../generated/mock.js';

export interface WebhookOptions {
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
  /** The wait before the first retry; each later retry waits twice the one before. */
  retryBaseMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Deliveries kept per partition, finished ones included. */
  maxKept: number;
}

export const WEBHOOK_DEFAULTS: WebhookOptions = { timeoutMs: 5_000, retryBaseMs: 1_000, maxAttempts: 5, maxKept: 1_000 };

/** A delivery as the admin API answers it (spec/mock.yaml's WebhookDelivery), without the partition it lists. */
type Delivery = Omit<components['schemas']['WebhookDelivery'], 'partition'>;
export type Attempt = Delivery['attempts'][number];
export type DeliveryStatus = Delivery['status'];

/** A delivery as kept: what the admin API answers, and how many attempts came before the last redelivery (each starts a fresh round of maxAttempts). */
export type DeliveryRecord = Delivery & StoredRecord & { roundStart?: number };

/** The policies, found by channel: only WEBHOOK ones deliver. */
export const POLICIES = collection('/notifications/policies', {
  indexes: { channel: (p) => (typeof p.channel === 'string' ? p.channel : undefined) },
});

/** A partition's deliveries, oldest first; `pending` finds the ones still to send. */
export const DELIVERIES = collection<DeliveryRecord>('/__webhooks/deliveries', {
  indexes: { pending: (d) => (d.status === 'PENDING' ? 'pending' : undefined), all: () => 'all' },
});

/** The Sequence-Signature header of `body` sent at `t` (unix ms). */
export function signatureHeader(secret: string, t: number, body: string): string {
  return `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * At most maxKept deliveries in a partition: past it, down to nine tenths of the cap at once (a
 * flood pays one pass per tenth, not per event), the oldest finished first, then the oldest pending.
 * Answers how many pending ones were dropped.
 */
export function trimDeliveries(partition: Partition, maxKept: number): number {
  if (partition.count(DELIVERIES, 'all', 'all') <= maxKept) return 0;
  const all = partition.all(DELIVERIES);
  let excess = all.length - (maxKept - Math.floor(maxKept / 10));
  for (const delivery of all) {
    if (excess <= 0) break;
    if (delivery.status === 'PENDING') continue;
    partition.delete(DELIVERIES, delivery.id);
    excess -= 1;
  }
  let dropped = 0;
  for (const delivery of all) {
    if (excess <= 0) break;
    if (delivery.status !== 'PENDING' || !partition.get(DELIVERIES, delivery.id)) continue;
    partition.delete(DELIVERIES, delivery.id);
    excess -= 1;
    dropped += 1;
  }
  return dropped;
}
