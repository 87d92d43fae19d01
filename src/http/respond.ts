// What every resource's routes answer with, in one place: a 404 naming the id, a value-or-404 for
// services that answer undefined for "not there", and a commit before any 2xx for a change.
import type { Response } from 'express';
import type { Store } from '../store/types.js';
import { ApiError, MESSAGES } from './errors.js';

export function notFound(what: string, path: string, id: string): ApiError {
  return new ApiError(404, MESSAGES.notFound, [{ path, message: `no ${what} with id ${id}` }]);
}

/** The value or a 404: the services answer undefined for "not there". */
export function found<T>(value: T | undefined, error: () => ApiError): T {
  if (value === undefined) throw error();
  return value;
}

/** A change is acknowledged only once the store has made it durable (a no-op in memory). */
export function committer(store: Store) {
  return async (res: Response, status: number, body: unknown): Promise<void> => {
    await store.commit();
    sendJson(res, status, body);
  };
}

/**
 * What res.json sends (the same status, headers and bytes), written directly: res.json and res.send
 * cost about 6% of a POST (ETag, freshness and charset handling the fake never needs; measured,
 * ../shared/perf-notes.md). When anything wraps res.json for this response (the response validator
 * in strict mode, the idempotency store), res.json is called, so the wrapper sees the body.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  if (Object.hasOwn(res, 'json')) {
    res.status(status).json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
