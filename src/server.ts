// Options -> store, journal, fault rules, admin -> app -> (optionally) a listening server,
// warmed up and ready, with a clean close(). This is also the programmatic API for test runners.
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { Journal, type JournalEntry, type JournalFilter } from './tools/admin/journal.js';
import { Admin, type ResetTarget } from './tools/admin/service.js';
import { createApp } from './app.js';
import { checkCombination, DEFAULTS, type Config } from './config.js';
import { Upstream } from './tools/proxy/forward.js';
import { presentCustomer, type Customer } from './resources/customers/present.js';
import { loadFixtures } from './tools/admin/fixtures.js';
import { generateCustomers, type SeedOptions } from './tools/admin/generate.js';
import { FaultRules } from './http/faults.js';
import { bornWithAppPrototypes } from './http/born-with.js';
import { newId, systemClock } from './engine/clock.js';
import { Webhooks } from './tools/webhooks/webhooks.js';
import { parseDuration, TestClocks, type ClockView } from './tools/billing/clock.js';
import type { RunResult } from './tools/billing/runs.js';
import type { WebhookOptions } from './tools/webhooks/deliveries.js';
import { clientErrorResponse } from './http/errors.js';
import { createLogger, flushLogger, WARM_UP_HEADER, WARM_UP_MARK } from './logger.js';
import { loadSpec } from './engine/contract/spec.js';
import { MemoryPartition, MemoryStore } from './engine/store/memory.js';
import type { PartitionSnapshot, Store } from './engine/store/types.js';

export interface ServerOptions extends Omit<Partial<Config>, 'webhooks'> {
  logger?: Logger;
  /** A client must send all its headers within this (default 10 s); slower ones get a 408 and are cut off. */
  headersTimeoutMs?: number;
  /** ... and the whole request within this (default 30 s). */
  requestTimeoutMs?: number;
  /** With upstream: how long an upstream answer may take (default 30 s; then a 504). */
  upstreamTimeoutMs?: number;
  /**
   * A connection with nothing sent or received for this long is closed (default 30 s; with an
   * upstream, twice its timeout and 10 s more): a client that stops reading its answer cannot hold
   * the socket and the answer's memory for ever.
   */
  socketTimeoutMs?: number;
  /** Webhook delivery, over the config's (WEBHOOK_* env): adds the deliveries kept per partition (docs/webhooks.md). */
  webhooks?: Partial<WebhookOptions>;
}

export const UPSTREAM_TIMEOUT_MS = 30_000;

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const SOCKET_TIMEOUT_MS = 30_000;

export interface MockServer {
  readonly app: Express;
  readonly store: Store;
  readonly admin: Admin;
  readonly config: Config;
  readonly logger: Logger;
  /** With --upstream: where Sequence's API is forwarded. */
  readonly upstream?: Upstream;
}

/** Everything but the listening socket: for supertest, or to mount the app in your own server. */
export async function createServer(options: ServerOptions = {}): Promise<MockServer> {
  const { webhooks: webhookOptions, ...settings } = options;
  const config: Config = checkCombination(
    Object.freeze({
      ...DEFAULTS,
      ...withoutUndefined(settings),
      webhooks: Object.freeze({ ...DEFAULTS.webhooks, ...withoutUndefined({ ...webhookOptions, maxKept: undefined }) }),
    }),
  );
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  // A proxy's store holds only what the upstream answered (--record): no starting data.
  const initial = config.upstream ? undefined : await initialData(config);
  const dataFile = config.upstream ? config.record : config.dataFile;
  // Both stores keep at most maxPartitions, the least recently used dropped first (from the data
  // file too). The durable one is imported only when asked for: its file-format checks cost
  // start-up time a memory store does not need.
  const store = dataFile
    ? await (await import('./engine/store/durable.js')).DurableStore.open(dataFile, { initial, maxPartitions: config.maxPartitions })
    : new MemoryStore({ ...(initial && { initial }), maxPartitions: config.maxPartitions });
  const faults = new FaultRules();
  const webhooks = config.upstream
    ? undefined
    : new Webhooks({ store, clock: systemClock, logger, faults, options: { ...config.webhooks, ...webhookOptions } });
  const admin = new Admin({
    store,
    journal: new Journal(config.journalSize),
    faults,
    fixtures: initial,
    ...(webhooks && { webhooks, clocks: new TestClocks(store, systemClock) }),
  });
  const upstream = config.upstream ? new Upstream(new URL(config.upstream), options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS) : undefined;
  const app = createApp({
    config,
    store,
    admin,
    logger,
    spec: loadSpec(),
    ...(upstream && { proxy: { upstream, record: config.record !== undefined } }),
  });
  return { app, store, admin, config, logger, ...(upstream && { upstream }) };
}

/**
 * The starting data of every new partition: the fixtures, then (--seed) the generated customers.
 * Generation is deterministic, so making them once and copying them into each partition is the same
 * as generating them in each partition, without paying faker per partition.
 */
async function initialData(config: Config): Promise<PartitionSnapshot | undefined> {
  const fixtures = config.fixtures ? loadFixtures() : undefined;
  if (!config.seed || config.seed.count === 0) return fixtures;
  const scratch = new MemoryPartition(fixtures);
  await generateCustomers(scratch, { ...config.seed, withChildren: true });
  return scratch.snapshot();
}

export interface RunningServer extends MockServer {
  /** Base URL without /api, e.g. http://127.0.0.1:4010 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish, flushes the store, then resolves. */
  close(): Promise<void>;
  /** Empties one partition (or all) back to the fixtures, or to nothing. */
  reset(partition?: string, to?: ResetTarget): void;
  /** The request journal, newest first. */
  requests(filter?: JournalFilter): JournalEntry[];
  /** Adds faker customers to a partition; the same seed gives the same customers. */
  seed(partition: string, options?: Partial<SeedOptions>): Promise<Customer[]>;
  /** A partition's test clock, as the admin API's /__admin/clock: moving it forward runs billing (docs/billing-runs.md). */
  clock(partition: string): {
    read(): ClockView;
    set(now: Date): Promise<ClockView & RunResult>;
    advance(by: string): Promise<ClockView & RunResult>;
    reset(): ClockView;
  };
}

export async function start(options: ServerOptions = {}): Promise<RunningServer> {
  const mock = await createServer(options);
  const { config, app, store, admin, logger } = mock;
  // Slow clients (slowloris: headers a byte at a time) are cut off instead of holding sockets for
  // Node's defaults (60 s for headers, 300 s for a request). Node checks these only every
  // connectionsCheckingInterval, so that is set to a fraction of the shorter one.
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout);
  const server = createHttpServer(
    {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, headersTimeout / 4)),
      ...bornWithAppPrototypes(app),
    },
    app,
  );
  // Longer than anything the fake itself waits for (a Prefer delay, an upstream's whole answer).
  server.setTimeout(
    options.socketTimeoutMs ?? (config.upstream ? 2 * (options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS) + 10_000 : SOCKET_TIMEOUT_MS),
  );
  // CONNECT asks for a tunnel: no fake of an HTTP API offers one, but it gets an answer, not silence.
  server.on('connect', (_req, socket) => socket.end(clientErrorResponse('CONNECT', newId())));
  // What Node rejects before Express sees it still gets the JSON envelope, not a bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !(err.code === 'ECONNRESET' || err.code === 'EPIPE')) socket.end(clientErrorResponse(err.code, newId()));
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  // A proxy warms up only its own routes: a warm-up request must never reach the upstream.
  await warmUp(port, config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host, config.upstream === undefined);
  logger.info({ url }, 'sequence-mock ready');
  // Deliveries a previous run left pending (a durable store keeps them) go now.
  admin.webhooks?.resume();

  return {
    ...mock,
    url,
    port,
    close: async () => {
      admin.webhooks?.close();
      await closeServer(server);
      mock.upstream?.close();
      await store.close();
      flushLogger(logger);
    },
    reset: (partition, to) => void admin.reset(partition, to),
    requests: (filter) => admin.requests(filter),
    seed: async (partition, seedOptions) => {
      const made = await admin.seed(partition, seedOptions);
      const view = store.partition(partition);
      return made.map((c) => presentCustomer(c, view));
    },
    clock: (partition) => {
      const clocks = admin.clocks;
      if (!clocks) throw new Error('this server has no test clocks (it forwards to an upstream)');
      const durable = async <T>(result: T) => (await store.commit(), result);
      return {
        read: () => clocks.read(partition),
        set: (now) => durable(clocks.set(partition, now)),
        advance: (by) => {
          const duration = parseDuration(by);
          if (!duration) throw new Error(`${by} is not an ISO 8601 duration (P1M, P10D, PT1H)`);
          return durable(clocks.advance(partition, duration));
        },
        reset: () => clocks.reset(partition),
      };
    },
  };
}

/** @deprecated the first name of start(); kept for callers of 0.1. */
export const startServer = start;

/** What one warm-up request got back: test/server.test.ts checks each reached the step it warms. */
export interface WarmUpAnswer {
  method: string;
  path: string;
  status: number;
  body: string;
}

/**
 * express-openapi-validator compiles an operation's validators on its first request (about 0.15 s
 * for POST /customers). The warm-up pays that for the request a client nearly always sends first,
 * with a POST /customers that gets past auth and the version check and whose body the validator
 * refuses (400 naming the body's fields), so no partition is touched. Warming more operations would
 * only move their first-request cost into every start (measured: a GET warm-up added ~40 ms to spawn
 * -> first 201). The warm-up header keeps it out of the log and the journal.
 */
export async function warmUp(port: number, host: string, api: boolean): Promise<WarmUpAnswer[]> {
  const base = { authorization: 'Basic d2FybS11cDp3YXJtLXVw', [WARM_UP_HEADER]: WARM_UP_MARK };
  // node:http, not fetch: fetch loads undici on first use (~25 ms of start-up, measured).
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<WarmUpAnswer | undefined>((resolve) => {
      const req = request({ host, port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolve({ method, path, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.once('error', () => resolve(undefined)); // a failed warm-up only leaves the cost to the first client
      req.end(body);
    });
  const answers = await Promise.all([
    ...(api ? [send('POST', '/customers', { ...base, 'content-type': 'application/json' }, '{}')] : []),
    send('GET', '/__admin/health', { [WARM_UP_HEADER]: WARM_UP_MARK }),
  ]);
  return answers.filter((answer) => answer !== undefined);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // A keep-alive socket busy now goes idle once its response is sent, and would then hold
    // close() open until keepAliveTimeout (5 s): close idle ones as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    server.close((err) => {
      clearInterval(sweep);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
