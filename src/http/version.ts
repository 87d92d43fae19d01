// Sequence-Version (docs.sequencehq.com/reference/versioning): optional, "defaults to the most recent
// API version"; an unrecognised one is a 400 with the documented body, verbatim. The fake serves one
// version, so a version Sequence does have but the fake does not serve is refused too, with a message
// that says so, rather than answered in 2024-07-30's shapes as if it were that version.
import type { RequestHandler } from 'express';
import { ApiError, ERROR_TYPES, MESSAGES, SEQUENCE_VERSION, validationError } from './errors.js';

/** Versions Sequence has published (its changelog); only SEQUENCE_VERSION is served. */
export const KNOWN_VERSIONS = ['2024-01-01', '2024-05-09', SEQUENCE_VERSION] as const;

export const checkVersion: RequestHandler = (req, _res, next) => {
  const version = req.headers['sequence-version'];
  if (version === undefined || version === SEQUENCE_VERSION) return next();
  if (Array.isArray(version) || version.includes(',')) {
    // Node joins a repeated header with ", ": say which header, not just "unrecognised".
    throw validationError([{ path: '/headers/sequence-version', message: 'must be sent at most once' }]);
  }
  if ((KNOWN_VERSIONS as readonly string[]).includes(version.trim())) {
    const message = MESSAGES.unsupportedVersion(version.trim());
    throw new ApiError(400, message, [{ path: '/headers/sequence-version', message }], {}, ERROR_TYPES.unsupportedVersion);
  }
  throw new ApiError(400, MESSAGES.unrecognisedVersion, [], {}, ERROR_TYPES.unrecognisedVersion, true);
};
