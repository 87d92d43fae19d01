// What one step of the pipeline hands on to later ones, in one typed object per request, made by
// the first step: the request id (every step), the client id (auth -> the answer, the log, the
// journal), the example a Prefer header names (mock controls -> the answer), and what an error
// answer or the proxy found wrong (-> the journal). Nothing else travels on res.locals.
import type { RequestHandler } from 'express';
import { newId } from '../engine/clock.js';
import type { Violation } from '../engine/errors.js';
import type { components } from '../generated/mock.js';
import { SEQUENCE_VERSION } from './errors.js';

/** What the validating proxy (--upstream) found wrong with an exchange. */
export type Divergence = components['schemas']['Violation'];

export interface RequestContext {
  /** Sent back as the Request-Id header and in every error body. */
  requestId: string;
  /** The Basic-auth client id: the partition this request reads and writes (set by auth). */
  clientId?: string;
  /** Prefer: example=<name> (set by the mock controls). */
  example?: string;
  /** The violations an error answer named (set by the error handler; the journal keeps them). */
  errors?: Violation[];
  /** What the validating proxy found wrong with this exchange (the journal keeps them). */
  divergences?: Divergence[];
  /** The JSON body's text as received (set by the body parser): the journal keeps it, not the parsed value. */
  bodyText?: string;
  /** Sequence-Version when it names an older version than the current one (set by checkVersion). */
  version?: string;
  /** performance.now() on arrival: the log line's and the journal's time and duration count from it. */
  arrived: number;
  /** Which after-response hooks want this request, one bit each (set by afterResponse). */
  after: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      context: RequestContext;
    }
  }
}

/**
 * Every response carries a Request-Id, as Sequence's and Stripe's do, to match logs to clients, and
 * the Sequence-Version that served it ("All HTTP responses returned by the API will include the
 * Sequence-Version header"): the current one, until checkVersion reads an older one asked for.
 */
export const requestId: RequestHandler = (_req, res, next) => {
  const arrived = performance.now();
  // Flat (newId), as the journal keeps it with its entry.
  const id = newId();
  // Every field present from the start, so later steps fill it in without changing its shape.
  res.locals.context = {
    requestId: id,
    clientId: undefined,
    example: undefined,
    errors: undefined,
    divergences: undefined,
    bodyText: undefined,
    version: undefined,
    arrived,
    after: 0,
  };
  res.setHeader('Request-Id', id);
  res.setHeader('Sequence-Version', SEQUENCE_VERSION);
  next();
};
