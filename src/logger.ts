// Structured logs with pino: one line per request. Credentials never reach a log line: the request
// line names the client id, never a header.
//
// Measured under load (npm run bench, --cpu-prof): pino-http cost ~15% of a POST's CPU even at level
// silent (a child logger, header serializers and redaction per request), and a synchronous write(2)
// per line another ~5%. So the request line is built here from a few fields, only when its level is
// on, and written through an asynchronous destination in batches (handed on every 100 ms and at
// shutdown).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { AfterResponse } from './http/after-response.js';
import type { Config } from './config.js';

/** `auto`: pretty when stdout is a terminal, JSON otherwise (a pipe, a file, a container's log driver). */
export function resolveLogFormat(format: Config['logFormat'], stdoutIsTty = process.stdout.isTTY === true): 'json' | 'pretty' {
  return format === 'auto' ? (stdoutIsTty ? 'pretty' : 'json') : format;
}

/** The longest a JSON log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 100;

/**
 * Lines are handed to the destination in batches of about this many characters. Each write is a
 * thread-pool round trip, which on a server pinned to one core takes the core from the event loop:
 * 64 KB batches instead of 8 KB cost a GET 3-4% less CPU (bench A/B, the quiet rounds). A line
 * still waits at most LOG_FLUSH_MS.
 */
const BATCH_CHARS = 64 * 1024;

type Destination = ReturnType<typeof pino.destination>;

/**
 * Joins lines before sonic-boom (pino's destination) sees them. sonic-boom appends each write to
 * its pending text and measures that text's byte length on every write, which flattens the
 * concatenated string each time: 3.8-4.9 µs a line in batches of 4 KB, against 1.3-1.5 µs with the
 * lines joined here and handed on as one write (200,000 request lines in process, to /dev/null).
 * sonic-boom still does the writing: partial writes, EAGAIN on a full pipe, the synchronous flush.
 */
class Batched {
  private lines: string[] = [];
  private chars = 0;

  constructor(private readonly destination: Destination) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.handOn();
  }

  /** Hands on what is held, to be written asynchronously (pino's `logger.flush(cb)` lands here). */
  flush(cb?: (err?: Error) => void): void {
    this.handOn();
    this.destination.flush(cb);
  }

  /** Writes out everything held, before the process exits. */
  flushSync(): void {
    this.handOn();
    this.destination.flushSync();
  }

  private handOn(): void {
    if (this.lines.length === 0) return;
    this.destination.write(this.lines.join(''));
    this.lines = [];
    this.chars = 0;
  }
}

export function createLogger(level: Config['logLevel'], format: Config['logFormat'] = 'json'): Logger {
  const options = { level, base: { name: 'sequence-mock' } };
  // Nothing to write, so no buffer to flush (every app a test file makes has one of these).
  if (level === 'silent') return pino(options);
  if (resolveLogFormat(format) === 'json') {
    // Lines are written in batches of about 64 KB, and at least every 100 ms: a write per line (one
    // thread-pool round trip each) cost 1.13x-1.37x of POST throughput (measured side by side).
    const batched = new Batched(pino.destination({ dest: 1, sync: false }));
    setInterval(() => batched.flush(), LOG_FLUSH_MS).unref();
    return pino(options, batched);
  }
  // Loaded only when asked for: pretty output is for a person at a terminal, and the JSON path (CI,
  // containers, the bench) should not pay for loading it at start-up.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(
    options,
    pretty({
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,name,reqId,method,url,statusCode,clientId,responseTime',
      messageFormat: prettyMessage,
    }),
  );
}

/** A request line reads as one: "POST /api/customers 201 3.1 ms client=acme req=…". */
function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const message = log[messageKey];
  if (typeof log.method !== 'string') return typeof message === 'string' ? message : (JSON.stringify(message) ?? '');
  const time = typeof log.responseTime === 'number' ? `${log.responseTime.toFixed(1)} ms` : '';
  const client = typeof log.clientId === 'string' ? ` client=${log.clientId}` : '';
  return `${log.method} ${String(log.url)} ${String(log.statusCode)} ${time}${client} req=${String(log.reqId)}`;
}

/** Writes out what the asynchronous destination still holds; call before process.exit. */
export function flushLogger(logger: Logger): void {
  try {
    (Reflect.get(logger, pino.symbols.streamSym) as { flushSync?: () => void } | undefined)?.flushSync?.();
  } catch {
    // a destination that is already closed has nothing left to write
  }
}

/** Marks the start-up warm-up requests, which are not worth a log line. */
export const WARM_UP_HEADER = 'x-sequence-mock-warm-up';
/**
 * The header's value: made per process, so only this process's own warm-up carries it (a client
 * sending the header with any other value is logged and journaled like any request).
 */
export const WARM_UP_MARK = randomUUID();
export const isWarmUp = (headers: Record<string, unknown>): boolean => headers[WARM_UP_HEADER] === WARM_UP_MARK;

/** One line per request once its response is sent: 5xx at error, 4xx at warn, the rest at info. */
export function requestLine(logger: Logger): AfterResponse {
  return {
    wants: (req) => logger.isLevelEnabled('error') && !isWarmUp(req.headers),
    sent(req, res, ms) {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const { context } = res.locals;
      logger[level](
        {
          reqId: context.requestId,
          method: req.method,
          url: req.originalUrl,
          statusCode: status,
          clientId: context.clientId,
          responseTime: ms,
        },
        'request completed',
      );
    },
  };
}
