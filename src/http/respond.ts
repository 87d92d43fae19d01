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
    res.status(status).json(body);
  };
}
