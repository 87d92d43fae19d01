// One request to the upstream and its whole answer, as bytes: nothing parsed, nothing re-encoded, so
// what the caller gets back is what the upstream sent. Redirects are not followed: the caller's
// credentials go to the configured upstream and nowhere else.
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';

// node:https (and TLS with it) costs ~13 ms to load: only a proxy to an https upstream pays it.
const require = createRequire(import.meta.url);
const loadHttps = () => require('node:https') as typeof https;

export interface Answer {
  status: number;
  statusMessage: string;
  /** As received: name, value, name, value, ... */
  rawHeaders: string[];
  body: Buffer;
}

/** Headers that describe one connection, not the message: never forwarded either way (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The largest answer taken from the upstream, as received (compressed or not): 502 past it. */
export const MAX_UPSTREAM_BYTES = 32 * 1024 * 1024;

/**
 * Headers not to forward: the hop-by-hop ones, and those the message's own Connection header names
 * (RFC 9110 §7.6.1: "Connection: close, X-Secret" makes X-Secret hop-by-hop too).
 */
export function connectionHeaders(rawHeaders: readonly string[]): Set<string> {
  const named = new Set(HOP_BY_HOP);
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() === 'connection')
      for (const token of rawHeaders[i + 1]!.split(',')) if (token.trim() !== '') named.add(token.trim().toLowerCase());
  return named;
}

export class Upstream {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(
    readonly base: URL,
    private readonly timeoutMs: number,
  ) {
    // Kept-alive connections: a new TLS handshake per request would cost the caller tens of milliseconds.
    this.transport = base.protocol === 'https:' ? loadHttps() : http;
    this.agent = new this.transport.Agent({ keepAlive: true });
  }

  /** @param path the path and query below the base, e.g. /customers?limit=1 */
  send(method: string, path: string, rawHeaders: readonly string[], body: Buffer): Promise<Answer> {
    const headers: Record<string, string | string[]> = {};
    const skipped = connectionHeaders(rawHeaders);
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      const lower = name.toLowerCase();
      // sequence-mock's own headers (the dashboard's marker, the warm-up's) are for this server only.
      if (skipped.has(lower) || lower === 'host' || lower.startsWith('x-sequence-mock-')) continue;
      const value = rawHeaders[i + 1]!;
      const had = headers[name];
      headers[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
    }
    headers.host = this.base.host;
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || undefined,
          method,
          path: `${this.base.pathname.replace(/\/$/, '')}${path}`,
          headers,
          agent: this.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_UPSTREAM_BYTES) {
              const message = `its answer is larger than ${MAX_UPSTREAM_BYTES} bytes`;
              return void request.destroy(Object.assign(new Error(message), { code: 'ETOOLARGE' }));
            }
            chunks.push(chunk);
          });
          response.once('error', reject);
          response.once('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              statusMessage: response.statusMessage ?? '',
              rawHeaders: response.rawHeaders,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      // Idle: no byte for timeoutMs. Whole: an upstream trickling a byte now and then is cut off too.
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      const whole = setTimeout(
        () => request.destroy(Object.assign(new Error(`no whole answer within ${2 * this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
        2 * this.timeoutMs,
      );
      request.once('close', () => clearTimeout(whole));
      request.once('error', reject);
      request.end(body.length > 0 ? body : undefined);
      // A response that ended or failed settles the promise; the request closing settles the rest.
      request.once('close', () => reject(Object.assign(new Error('the connection closed'), { code: 'ECONNRESET' })));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
