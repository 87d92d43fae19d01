// One delivery attempt over HTTP: POST the body with its headers, and report the status or why
// there was none. node:http, not fetch: fetch costs start-up time when first loaded.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Attempt } from './deliveries.js';

/** One POST: the receiver's status, or the error that left none. Redirects are not followed (a 3xx fails it). */
export async function post(
  url: string,
  body: string,
  signature: string,
  timeoutMs: number,
): Promise<Pick<Attempt, 'statusCode' | 'error'>> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Pick<Attempt, 'statusCode' | 'error'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Sequence-Signature': signature,
          'User-Agent': 'sequence-mock-webhooks',
        },
      },
      (res: IncomingMessage) => {
        // The answer's body is not kept: read and dropped, so the socket is freed.
        res.resume();
        res.once('end', () => done({ statusCode: res.statusCode ?? 0 }));
        res.once('error', (err) => done({ statusCode: res.statusCode ?? 0, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      done({ error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.once('error', (err) => done({ error: err.message }));
    req.end(body);
  });
}
