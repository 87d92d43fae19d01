// Structured logs with pino: one line per request. Credentials never reach a log line.
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { RequestHandler } from 'express';
import type { Config } from './config.js';

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { name: 'sequence-mock' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-admin-token"]'], censor: '[redacted]' },
  });
}

/** Marks the start-up warm-up requests, which are not worth a log line. */
export const WARM_UP_HEADER = 'x-sequence-mock-warm-up';

export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req) => req.headers[WARM_UP_HEADER] !== undefined },
    genReqId: (_req, res) => (res as unknown as { locals: { requestId: string } }).locals.requestId,
    customProps: (_req, res) => ({ clientId: (res as unknown as { locals: { clientId?: string } }).locals.clientId }),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  }) as unknown as RequestHandler;
}
