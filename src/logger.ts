// Structured logs with pino: one line per request. Credentials never reach a log line: the request
// line names the client id, never a header.
//
// Measured under load (npm run bench, --cpu-prof): pino-http cost ~15% of a POST's CPU even at level
// silent (a child logger, header serializers and redaction per request), and a synchronous write(2)
// per line another ~5%. So the request line is built here from a few fields, only when its level is
// on, and written through an asynchronous destination that coalesces lines (flushed every 100 ms and
// at shutdown).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { RequestHandler } from 'express';
import type { Config } from './config.js';

/** `auto`: pretty when stdout is a terminal, JSON otherwise (a pipe, a file, a container's log driver). */
export function resolveLogFormat(format: Config['logFormat'], stdoutIsTty = process.stdout.isTTY === true): 'json' | 'pretty' {
  return format === 'auto' ? (stdoutIsTty ? 'pretty' : 'json') : format;
}

/** The longest a JSON log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 100;

export function createLogger(level: Config['logLevel'], format: Config['logFormat'] = 'json'): Logger {
  const options = { level, base: { name: 'sequence-mock' } };
  // Nothing to write, so no buffer to flush (every app a test file makes has one of these).
  if (level === 'silent') return pino(options);
  if (resolveLogFormat(format) === 'json') {
    // Lines are written in batches of up to 4 KB, and at least every 100 ms: a write per line (one
    // thread-pool round trip each) cost 1.13x-1.37x of POST throughput (measured side by side).
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    setInterval(() => destination.flush(), LOG_FLUSH_MS).unref();
    return pino(options, destination);
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
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('error') || isWarmUp(req.headers)) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: res.locals.context.requestId,
          method: req.method,
          url: req.originalUrl,
          statusCode: status,
          clientId: res.locals.context.clientId,
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request completed',
      );
    });
    next();
  };
}
