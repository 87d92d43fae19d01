// Sequence-Version (docs.sequencehq.com/reference/versioning): optional, "defaults to the most recent
// API version"; an unrecognised one is a 400 with the documented body, verbatim. Every version
// Sequence publishes a document for (spec/sequence/) is served: the request is answered in the
// version it names, and the answer says which (docs/versions.md).
import type { RequestHandler } from 'express';
import { publishedVersions } from '../engine/contract/spec.js';
import { ApiError, ERROR_TYPES, MESSAGES, SEQUENCE_VERSION, validationError } from './errors.js';

/**
 * The older published version a Sequence-Version header names; undefined for the current one (absent
 * or named); null for anything else (the API refuses it, the proxy forwards it).
 */
export function olderVersionNamed(header: string | string[] | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  // Node joins a repeated header with ", ".
  if (Array.isArray(header) || header.includes(',')) return null;
  const asked = header.trim();
  if (asked === SEQUENCE_VERSION) return undefined;
  return publishedVersions().includes(asked) ? asked : null;
}

export const checkVersion: RequestHandler = (req, res, next) => {
  const header = req.headers['sequence-version'];
  const asked = olderVersionNamed(header);
  if (asked === undefined) return next();
  if (asked === null) {
    // Say which header when it came twice, not just "unrecognised".
    if (Array.isArray(header) || header?.includes(','))
      throw validationError([{ path: '/headers/sequence-version', message: 'must be sent at most once' }]);
    throw new ApiError(400, MESSAGES.unrecognisedVersion, [], {}, ERROR_TYPES.unrecognisedVersion, true);
  }
  res.locals.context.version = asked;
  res.setHeader('Sequence-Version', asked);
  next();
};
