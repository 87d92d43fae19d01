// What the middleware chain hands on to later stages, typed once.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { components } from '../generated/mock.js';
import type { Violation } from '../rules/violation.js';
import { SEQUENCE_VERSION } from './errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Sent back as the Request-Id header and in every error body. */
      requestId: string;
      /** The Basic-auth client id: the partition this request reads and writes. */
      clientId: string;
      /** The violations an error answer named (the journal keeps them). */
      errors?: Violation[];
      /** What the validating proxy (--upstream) found wrong with this exchange, for the journal. */
      divergences?: components['schemas']['Violation'][];
    }
  }
}

/**
 * Every response carries a Request-Id, as Sequence's and Stripe's do, to match logs to clients, and
 * the Sequence-Version that served it ("All HTTP responses returned by the API will include the
 * Sequence-Version header"; the fake serves one version).
 */
export const requestId: RequestHandler = (_req, res, next) => {
  res.locals.requestId = randomUUID();
  res.setHeader('Request-Id', res.locals.requestId);
  res.setHeader('Sequence-Version', SEQUENCE_VERSION);
  next();
};
