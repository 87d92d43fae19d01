// Idempotency-Key, where the document declares it (POST /customer-aliases in 2024-07-30): "Retrying
// with the same key returns the original response, and the operation runs at most once. Keys are
// retained for 24 hours." Keys are per partition (per Sequence account). Decisions where the docs are
// silent, following Stripe's well-known rules: the same key with another method, path or body is a
// 400; a retry while the first is still running is a 409; 5xx answers are not kept (the operation did
// not run, so a retry may run it). Kept in memory only, at most MAX_KEYS and MAX_KEPT_BYTES (the
// answers' JSON), oldest dropped first; a request body is kept as its SHA-256, not whole.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ApiError, ERROR_TYPES, MESSAGES, validationError } from './errors.js';

export const RETAIN_MS = 24 * 60 * 60 * 1000;
export const MAX_KEYS = 100_000;
/** The answers kept, in bytes of their JSON: the cap that holds whatever the size of each. */
export const MAX_KEPT_BYTES = 32 * 1024 * 1024;
const HEADER = 'idempotency-key';

interface Kept {
  fingerprint: string;
  at: number;
  response?: { status: number; body: unknown };
  bytes: number;
}

/** Whether the operation the validator matched declares the header (read from the document, not listed here). */
function declaresKey(req: Request): boolean {
  const operation = (req as Request & { openapi?: { schema?: { parameters?: { in?: string; name?: string }[] } } }).openapi?.schema;
  return operation?.parameters?.some((p) => p.in === 'header' && p.name?.toLowerCase() === HEADER) ?? false;
}

export class IdempotencyKeys {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxBytes = MAX_KEPT_BYTES,
  ) {}

  /** Bytes of the answers kept (with each key's own size), for the cap and its test. */
  get keptBytes(): number {
    return this.bytes;
  }

  private forget(id: string): void {
    const entry = this.kept.get(id);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.kept.delete(id);
  }

  /** Forgets one partition's keys (or all), as an admin reset forgets its data. */
  clear(clientId?: string): void {
    if (clientId === undefined) {
      this.bytes = 0;
      return this.kept.clear();
    }
    for (const key of [...this.kept.keys()]) if (key.startsWith(`${clientId}\0`)) this.forget(key);
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const key = req.headers[HEADER];
      if (typeof key !== 'string' || !declaresKey(req)) return next();
      const id = `${res.locals.context.clientId}\0${key}`;
      const fingerprint = createHash('sha256')
        .update(`${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`)
        .digest('base64');
      const now = this.now();
      const previous = this.kept.get(id);
      if (previous && now - previous.at < RETAIN_MS) return this.replay(previous, fingerprint, res);
      this.forget(id);
      const entry: Kept = { fingerprint, at: now, bytes: id.length + fingerprint.length };
      this.kept.set(id, entry);
      this.bytes += entry.bytes;
      this.trim();
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
      if (this.kept.get(id) !== entry) return json(body); // dropped meanwhile (cap, reset)
      if (res.statusCode < 500) {
        entry.response = { status: res.statusCode, body };
        const bytes = Buffer.byteLength(JSON.stringify(body) ?? '');
        entry.bytes += bytes;
        this.bytes += bytes;
        this.trim();
      } else this.forget(id);
      return json(body);
    };
    res.once('close', () => {
      if (!entry.response && this.kept.get(id) === entry) this.forget(id);
    });
  }

  /** Oldest first, until within both caps. */
  private trim(): void {
    while (this.kept.size > MAX_KEYS || (this.bytes > this.maxBytes && this.kept.size > 0)) this.forget(this.kept.keys().next().value!);
  }
}
