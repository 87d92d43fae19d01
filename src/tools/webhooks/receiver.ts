// A webhook receiver for tests: a local HTTP server that records what the fake delivers and checks
// each Sequence-Signature with the documented algorithm, so a test can write
//   const hooks = await createWebhookReceiver();
//   ... make a WEBHOOK policy with recipients [hooks.url], change state ...
//   const issued = await hooks.next('INVOICE_ISSUED');
// It answers 200 unless told otherwise (respondWith), so retries can be tested too.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  notificationType: string;
  /** The parsed envelope: notificationType, sequenceAccountId, resourceType, resourceId, resource. */
  body: Record<string, unknown> & { resource?: Record<string, unknown> };
  /** The exact bytes received (what the signature covers). */
  raw: string;
  headers: IncomingHttpHeaders;
  /** Whether Sequence-Signature checks out against the receiver's secret (false when it has none). */
  verified: boolean;
  receivedAt: Date;
}

export interface WebhookReceiver {
  /** The URL to put in a policy's recipients. */
  readonly url: string;
  /** Everything received so far, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  /** The secret signatures are checked with: the policy's webhookSecret (set it once the policy is made). */
  secret: string | undefined;
  /** The statuses the next requests get, in order (then 200): [500, 500] fails two attempts. */
  respondWith(...statuses: number[]): void;
  /** The next delivery not yet taken (of this type, when given); rejects after timeoutMs (default 5 s). */
  next(notificationType?: string, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** Checks a Sequence-Signature header: HMAC-SHA256 of "<t>.<raw body>" with the secret, hex, compared in constant time. */
export function verifySignature(header: string | undefined, raw: string, secret: string): boolean {
  const parts = new Map((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = parts.get('t');
  const s = parts.get('s');
  if (!t || !s || !/^[0-9a-f]+$/i.test(s)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  const given = Buffer.from(s, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** 1 MB: the largest delivery the receiver reads. */
const MAX_BODY = 1024 * 1024;

export async function createWebhookReceiver(options: { secret?: string; port?: number; host?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  // What next() has handed out: each delivery once, in the order received.
  const taken = new Set<ReceivedWebhook>();
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: ReceivedWebhook['body'] = {};
      try {
        body = JSON.parse(raw) as ReceivedWebhook['body'];
      } catch {
        // kept as received; body stays {}
      }
      const header = req.headers['sequence-signature'];
      received.push({
        notificationType: typeof body.notificationType === 'string' ? body.notificationType : '',
        body,
        raw,
        headers: req.headers,
        verified: receiver.secret !== undefined && verifySignature(typeof header === 'string' ? header : undefined, raw, receiver.secret),
        receivedAt: new Date(),
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/webhooks`,
    received,
    secret: options.secret,
    respondWith: (...codes) => void statuses.push(...codes),
    next: (notificationType, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const hook = received.find((r) => !taken.has(r) && (notificationType === undefined || r.notificationType === notificationType));
          if (!hook) return;
          taken.add(hook);
          finish();
          resolve(hook);
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `no ${notificationType ?? 'webhook'} within ${timeoutMs} ms (received ${received.map((r) => r.notificationType).join(', ') || 'none'})`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(look);
        };
        waiters.add(look);
        look();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
