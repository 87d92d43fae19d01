// Environment variables and CLI flags become one typed, frozen Config. Flags win over env.
import type { Level } from 'pino';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: Level | 'silent';
  /** Log lines as JSON, as pretty text, or `auto`: pretty when stdout is a terminal, else JSON. */
  readonly logFormat: 'json' | 'pretty' | 'auto';
  /** Load the documented example customers (data/fixtures.json) into every new partition. */
  readonly fixtures: boolean;
  /** Validate every response against the spec; a non-conforming one becomes a 500. */
  readonly strict: boolean;
  /** clientId -> clientSecret; undefined accepts any well-formed Basic credentials. */
  readonly credentials: ReadonlyMap<string, string> | undefined;
  /** When set, /__admin (health excepted) needs it in X-Admin-Token. */
  readonly adminToken: string | undefined;
  /** Host names the admin API accepts besides localhost, IP literals and single-label names; `*` for any. */
  readonly allowedHosts: readonly string[];
  /** Entries the request journal keeps (a ring buffer). */
  readonly journalSize: number;
  /** Partitions kept in memory; the least recently used goes past this. */
  readonly maxPartitions: number;
  /** Faker customers generated into every new partition, after the fixtures. */
  readonly seed: { count: number; seed: number } | undefined;
  /** Persist state in this lowdb JSON file (plus its journal); in memory when undefined. */
  readonly dataFile: string | undefined;
  /** Act as a validating proxy in front of this Sequence base URL instead of answering from the store. */
  readonly upstream: string | undefined;
  /** With upstream: keep what the upstream answered in this data file (the durable store's format). */
  readonly record: string | undefined;
  /** Webhook delivery (docs/webhooks.md): one attempt's timeout, the first retry's wait (doubling after), attempts in all. */
  readonly webhooks: { readonly timeoutMs: number; readonly retryBaseMs: number; readonly maxAttempts: number };
}

export const DEFAULTS: Config = Object.freeze({
  port: 4010,
  host: '127.0.0.1',
  logLevel: 'info',
  logFormat: 'auto',
  fixtures: true,
  strict: false,
  credentials: undefined,
  adminToken: undefined,
  allowedHosts: [],
  journalSize: 1000,
  maxPartitions: 1000,
  seed: undefined,
  dataFile: undefined,
  upstream: undefined,
  record: undefined,
  webhooks: Object.freeze({ timeoutMs: 5_000, retryBaseMs: 1_000, maxAttempts: 5 }),
});

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Thrown for a bad setting; the CLI prints the message and exits 2. */
export class ConfigError extends Error {}

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  return port;
}

export function parseBoolean(value: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

export function parseLogLevel(value: string, name: string): Config['logLevel'] {
  const level = LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new ConfigError(`${name} must be one of ${LEVELS.join(', ')}, got "${value}"`);
  return level;
}

const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;

export function parseLogFormat(value: string, name: string): Config['logFormat'] {
  const format = LOG_FORMATS.find((f) => f === value.toLowerCase());
  if (!format) throw new ConfigError(`${name} must be one of ${LOG_FORMATS.join(', ')}, got "${value}"`);
  return format;
}

export function parseCount(value: string, name: string, min = 0, max = 1_000_000): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** "50" or "50:42": how many faker customers each new partition gets, and the seed (default 1). */
export function parseSeed(value: string, name: string): Config['seed'] {
  const match = /^(\d+)(?::(\d+))?$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be COUNT or COUNT:SEED (whole numbers), got "${value}"`);
  return { count: parseCount(match[1]!, `${name} count`, 0, 10_000), seed: Number(match[2] ?? 1) };
}

/** "id:secret,id2:secret2" -> Map. The secret may itself contain colons. */
export function parseCredentials(value: string, name: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new ConfigError(`${name} must be a comma-separated list of clientId:clientSecret, got "${pair}"`);
    }
    map.set(pair.slice(0, colon), pair.slice(colon + 1));
  }
  if (map.size === 0) throw new ConfigError(`${name} lists no credentials`);
  return map;
}

/** "a.example,b.example" -> names (empty entries dropped). */
export function parseHosts(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** An http(s) base URL without credentials in it (they are the caller's, sent per request). */
export function parseUpstream(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL such as https://sandbox.sequencehq.com/api, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http or https URL, got "${value}"`);
  if (url.username || url.password) throw new ConfigError(`${name} must not carry credentials: the proxy forwards each caller's own`);
  if (url.search || url.hash) throw new ConfigError(`${name} must be a base URL without query or fragment, got "${value}"`);
  return url.href;
}

/** Settings that only make sense together, or not at all together. */
export function checkCombination(config: Config): Config {
  if (config.record !== undefined && config.upstream === undefined)
    throw new ConfigError('--record needs --upstream: it records what the upstream answers');
  if (config.upstream !== undefined && config.dataFile !== undefined) {
    throw new ConfigError(
      '--data serves stored state and --upstream forwards to Sequence: use one (to keep what the upstream answers, use --record)',
    );
  }
  return config;
}

/** Reads the documented environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv, base: Config = DEFAULTS): Config {
  const c: { -readonly [K in keyof Config]: Config[K] } = { ...base };
  if (env.PORT) c.port = parsePort(env.PORT, 'PORT');
  if (env.HOST) c.host = env.HOST;
  if (env.LOG_LEVEL) c.logLevel = parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL');
  if (env.LOG_FORMAT) c.logFormat = parseLogFormat(env.LOG_FORMAT, 'LOG_FORMAT');
  if (env.FIXTURES) c.fixtures = parseBoolean(env.FIXTURES, 'FIXTURES');
  if (env.STRICT) c.strict = parseBoolean(env.STRICT, 'STRICT');
  if (env.SEQUENCE_MOCK_CREDENTIALS) {
    c.credentials = parseCredentials(env.SEQUENCE_MOCK_CREDENTIALS, 'SEQUENCE_MOCK_CREDENTIALS');
  }
  if (env.ADMIN_TOKEN) c.adminToken = env.ADMIN_TOKEN;
  if (env.ALLOWED_HOSTS) c.allowedHosts = parseHosts(env.ALLOWED_HOSTS);
  if (env.JOURNAL_SIZE) c.journalSize = parseCount(env.JOURNAL_SIZE, 'JOURNAL_SIZE');
  if (env.MAX_PARTITIONS) c.maxPartitions = parseCount(env.MAX_PARTITIONS, 'MAX_PARTITIONS', 1);
  if (env.SEED) c.seed = parseSeed(env.SEED, 'SEED');
  if (env.DATA_FILE) c.dataFile = env.DATA_FILE;
  if (env.UPSTREAM) c.upstream = parseUpstream(env.UPSTREAM, 'UPSTREAM');
  if (env.RECORD_FILE) c.record = env.RECORD_FILE;
  if (env.WEBHOOK_TIMEOUT_MS || env.WEBHOOK_RETRY_MS || env.WEBHOOK_ATTEMPTS)
    c.webhooks = Object.freeze({
      timeoutMs: env.WEBHOOK_TIMEOUT_MS ? parseCount(env.WEBHOOK_TIMEOUT_MS, 'WEBHOOK_TIMEOUT_MS', 1, 600_000) : c.webhooks.timeoutMs,
      retryBaseMs: env.WEBHOOK_RETRY_MS ? parseCount(env.WEBHOOK_RETRY_MS, 'WEBHOOK_RETRY_MS', 1, 3_600_000) : c.webhooks.retryBaseMs,
      maxAttempts: env.WEBHOOK_ATTEMPTS ? parseCount(env.WEBHOOK_ATTEMPTS, 'WEBHOOK_ATTEMPTS', 1, 100) : c.webhooks.maxAttempts,
    });
  return Object.freeze(c);
}
