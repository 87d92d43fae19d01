// Config -> store -> app -> listening server, warmed up and ready, with a clean close().
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { DEFAULTS, type Config } from './config.js';
import { loadFixtures } from './fixtures/documented.js';
import { createLogger, WARM_UP_HEADER } from './logger.js';
import { loadSpec } from './spec.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/types.js';

export interface RunningServer {
  /** Base URL without /api, e.g. http://127.0.0.1:4010 */
  readonly url: string;
  readonly port: number;
  readonly app: Express;
  readonly store: Store;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Config> {
  logger?: Logger;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config: Config = { ...DEFAULTS, ...options };
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = new MemoryStore(config.fixtures ? loadFixtures() : undefined);
  const app = createApp({ config, store, logger, spec: loadSpec() });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  await warmUp(url);
  logger.info({ url }, 'sequence-mock ready');

  return { url, port, app, store, close: () => closeServer(server) };
}

/**
 * express-openapi-validator loads the spec and compiles each operation's validators on its first
 * request. Sending each operation one request that the validator rejects (an unsupported version
 * header) pays that cost before the first real client, and touches no partition.
 */
async function warmUp(url: string): Promise<void> {
  const headers = {
    authorization: 'Basic d2FybS11cDp3YXJtLXVw',
    'sequence-version': 'warm-up',
    'content-type': 'application/json',
    [WARM_UP_HEADER]: '1',
  };
  await Promise.all([
    fetch(`${url}/customers`, { method: 'POST', headers, body: '{}' }),
    fetch(`${url}/customers/warm-up`, { headers }),
    fetch(`${url}/__admin/health`),
  ].map((p) => p.then((r) => r.arrayBuffer())));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Idle keep-alive sockets would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
