// Sequence authenticates with "Authorization: Basic base64(clientId:clientSecret)"
// (https://docs.sequencehq.com/reference/authentication). The client id also names the partition
// the request reads and writes, as a Sequence account would. Checked before the spec validator so a
// missing header is the 401 a client sees from Sequence, not the validator's 400.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError, MESSAGES } from './errors.js';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function unauthorized(message: string): ApiError {
  // WWW-Authenticate tells HTTP clients which scheme to retry with.
  return new ApiError(401, message, [{ path: '/headers/authorization', message }], {
    'WWW-Authenticate': 'Basic realm="Sequence API"',
  });
}

/** Decodes a Basic Authorization header; throws the 401 that names what is wrong. */
export function parseBasicAuth(header: string | undefined): Credentials {
  if (header === undefined || header.trim() === '') throw unauthorized(MESSAGES.authMissing);
  const match = /^Basic(?:\s+(\S*))?\s*$/i.exec(header.trim());
  if (!match) throw unauthorized(MESSAGES.authScheme);
  const token = match[1] ?? '';
  if (token === '') throw unauthorized(MESSAGES.authEmpty);
  if (!BASE64.test(token) || token.length % 4 === 1) throw unauthorized(MESSAGES.authEncoding);
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    throw unauthorized(MESSAGES.authEncoding);
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthorized(MESSAGES.authEncoding);
  // Split at the first colon only: RFC 7617 lets the secret contain colons, never the id.
  const clientId = decoded.slice(0, colon);
  const clientSecret = decoded.slice(colon + 1);
  if (clientId === '' || clientSecret === '') throw unauthorized(MESSAGES.authEmpty);
  return { clientId, clientSecret };
}

/** Constant-time comparison of two secrets of any length (hashed first, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether a client id and secret are among the allowed ones, in time that does not depend on the secret. */
export function allowedCredentials(allowed: ReadonlyMap<string, string>, clientId: string, clientSecret: string): boolean {
  const expected = allowed.get(clientId);
  return expected !== undefined && sameSecret(clientSecret, expected);
}

/** @param allowed clientId -> secret; undefined accepts any well-formed credentials. */
export function authenticate(allowed: ReadonlyMap<string, string> | undefined): RequestHandler {
  return (req, res, next) => {
    const { clientId, clientSecret } = parseBasicAuth(req.headers.authorization);
    if (allowed && !allowedCredentials(allowed, clientId, clientSecret)) throw unauthorized(MESSAGES.authRejected);
    res.locals.context.clientId = clientId;
    next();
  };
}
