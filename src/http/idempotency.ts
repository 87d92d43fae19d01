// Idempotency-Key, where the document declares it (POST /customer-aliases in 2024-07-30): "Retrying
// with the same key returns the original response, and the operation runs at most once. Keys are
// retained for 24 hours." Keys are per partition (per Sequence account). Decisions where the docs are
// silent, following Stripe's well-known rules: the same key with another method, path or body is a
// 400; a retry while the first is still running is a 409; 5xx answers are not kept (the operation did
// not run, so a retry may run it). Kept in memory only, at most MAX_KEYS, oldest dropped first.
import type { Request, RequestHandler, Response } from 'express';
import { ApiError, ERROR_TYPES, MESSAGES, validationError } from './errors.js';

export const RETAIN_MS = 24 * 60 * 60 * 1000;
export const MAX_KEYS = 100_000;
const HEADER = 'idempotency-key';

interface Kept {
  fingerprint: string;
  at: number;
  response?: { status: number; body: unknown };
}

/** Whether the operation the validator matched declares the header (read from the document, not listed here). */
function declaresKey(req: Request): boolean {
  const operation = (req as Request & { openapi?: { schema?: { parameters?: { in?: string; name?: string }[] } } }).openapi?.schema;
  return operation?.parameters?.some((p) => p.in === 'header' && p.name?.toLowerCase() === HEADER) ?? false;
}

export class IdempotencyKeys {
  private readonly kept = new Map<string, Kept>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Forgets one partition's keys (or all), as an admin reset forgets its data. */
  clear(clientId?: string): void {
    if (clientId === undefined) return this.kept.clear();
    for (const key of this.kept.keys()) if (key.startsWith(`${clientId}\0`)) this.kept.delete(key);
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const key = req.headers[HEADER];
      if (typeof key !== 'string' || !declaresKey(req)) return next();
      const id = `${res.locals.context.clientId}\0${key}`;
      const fingerprint = `${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`;
      const now = this.now();
      const previous = this.kept.get(id);
      if (previous && now - previous.at < RETAIN_MS) return this.replay(previous, fingerprint, res);
      this.kept.delete(id);
      const entry: Kept = { fingerprint, at: now };
      this.kept.set(id, entry);
      if (this.kept.size > MAX_KEYS) this.kept.delete(this.kept.keys().next().value!);
      this.capture(id, entry, res);
      next();
    };
  }

  private replay(previous: Kept, fingerprint: string, res: Response): void {
    const path = `/headers/${HEADER}`;
    if (previous.fingerprint !== fingerprint)
      throw validationError([{ path, message: MESSAGES.idempotencyKeyReused }], ERROR_TYPES.idempotencyKeyReused);
    if (!previous.response) throw new ApiError(409, MESSAGES.idempotencyInFlight, [{ path, message: MESSAGES.idempotencyInFlight }]);
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(previous.response.status).json(previous.response.body);
  }

  /** Keeps what the handler answers; an error answer below 500 is kept too, a 5xx frees the key. */
  private capture(id: string, entry: Kept, res: Response): void {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500) entry.response = { status: res.statusCode, body };
      else this.kept.delete(id);
      return json(body);
    };
    res.once('close', () => {
      if (!entry.response && this.kept.get(id) === entry) this.kept.delete(id);
    });
  }
}
