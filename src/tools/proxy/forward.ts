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
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      const lower = name.toLowerCase();
      // sequence-mock's own headers (the dashboard's marker, the warm-up's) are for this server only.
      if (HOP_BY_HOP.has(lower) || lower === 'host' || lower.startsWith('x-sequence-mock-')) continue;
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
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
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
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      request.once('error', reject);
      request.end(body.length > 0 ? body : undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
