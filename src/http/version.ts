// Sequence-Version (docs.sequencehq.com/reference/versioning): optional, "defaults to the most recent
// API version"; an unrecognised one is a 400 with the documented body, verbatim. Every version
// Sequence publishes a document for (spec/sequence/) is served: the request is answered in the
// version it names, and the answer says which (docs/versions.md).
import type { RequestHandler } from 'express';
import { publishedVersions } from '../engine/contract/spec.js';
import { ApiError, ERROR_TYPES, MESSAGES, SEQUENCE_VERSION, validationError } from './errors.js';

export const checkVersion: RequestHandler = (req, res, next) => {
  const version = req.headers['sequence-version'];
  if (version === undefined || version === SEQUENCE_VERSION) return next();
  if (Array.isArray(version) || version.includes(',')) {
    // Node joins a repeated header with ", ": say which header, not just "unrecognised".
    throw validationError([{ path: '/headers/sequence-version', message: 'must be sent at most once' }]);
  }
  const asked = version.trim();
  if (asked === SEQUENCE_VERSION) return next();
  if (!publishedVersions().includes(asked))
    throw new ApiError(400, MESSAGES.unrecognisedVersion, [], {}, ERROR_TYPES.unrecognisedVersion, true);
  res.locals.context.version = asked;
  res.setHeader('Sequence-Version', asked);
  next();
};
