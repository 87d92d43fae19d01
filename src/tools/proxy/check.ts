// Both sides of a proxied exchange, checked against the published document: the caller's request by
// the same validator that guards the fake (reporting instead of refusing), the upstream's answer by
// the operation's documented response schema for its status.
import type { Request, RequestHandler, Response } from 'express';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { withoutApi } from '../../engine/contract/base-paths.js';
import type { Conformer } from '../../engine/contract/conform.js';
import { toApiError } from '../../http/errors.js';
import { matchedOperation } from '../../http/openapi.js';
import type { Divergence } from './divergences.js';
import { depthOver, oversizedArray, tooDeep, tooManyItems } from '../../engine/json-limits.js';

export interface CheckedRequest {
  /** `get /customers/{id}`, the document's operation; undefined when the document has none for the request. */
  operation: string | undefined;
  params: Record<string, string>;
  violations: Divergence[];
}

/**
 * Runs the validator over the request and reports what it would have refused. The validator reads
 * req.body, so the raw bytes are parsed for it; the caller's bytes are what is forwarded.
 */
export async function checkRequest(req: Request, res: Response, raw: Buffer, validate: RequestHandler): Promise<CheckedRequest> {
  const violations: Divergence[] = [];
  req.body = undefined;
  if (raw.length > 0 && /json/i.test(req.headers['content-type'] ?? '')) {
    const text = raw.toString('utf8').replace(/^\uFEFF/, '');
    let overLimit = false;
    const depth = depthOver(text);
    if (depth !== undefined) {
      violations.push({ side: 'request', path: '/body', message: `was not checked: it ${tooDeep(depth)}` });
      overLimit = true;
    } else
      try {
        req.body = JSON.parse(text) as unknown;
        const oversized = oversizedArray(req.body);
        if (oversized) {
          violations.push({
            side: 'request',
            path: `/body${oversized.path}`,
            message: `was not checked: it ${tooManyItems(oversized.length)}`,
          });
          req.body = undefined;
          overLimit = true;
        }
      } catch (err) {
        violations.push({ side: 'request', path: '/body', message: `is not JSON: ${(err as Error).message}` });
      }
    // Past a limit the validator is not run at all: what it would cost is what the limit prevents.
    if (overLimit) return { operation: undefined, params: {}, violations };
  }
  const failure = await new Promise<unknown>((resolve) => {
    try {
      validate(req, res, resolve);
    } catch (err) {
      resolve(err);
    }
  });
  if (failure !== undefined && failure !== null && violations.length === 0) {
    for (const e of toApiError(failure, req.method, withoutApi(req.path)).errors)
      violations.push({ side: 'request', path: e.path, message: e.message });
  }
  const matched = matchedOperation(req);
  return { operation: matched?.key, params: matched?.params ?? {}, violations };
}

export interface CheckedResponse {
  violations: Divergence[];
  /** The body as JSON, when it is JSON (for recording). */
  json: unknown;
}

/** The upstream's answer against the document: the version header, a documented status, the body's schema. */
export function checkResponse(
  conformer: Conformer,
  operation: string | undefined,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): CheckedResponse {
  const violations: Divergence[] = [];
  const problem = (path: string, message: string) => violations.push({ side: 'response', path, message });
  if (headers['sequence-version'] === undefined) problem('/headers/sequence-version', 'is missing: every response of the API carries it');
  let json: unknown;
  const isJson = /^application\/(.+\+)?json/i.test(headers['content-type'] ?? '');
  if (isJson && body.length > 0) {
    try {
      const text = decoded(body, headers['content-encoding']).toString('utf8');
      const depth = depthOver(text);
      if (depth !== undefined) problem('/body', `was not checked: it ${tooDeep(depth)}`);
      else json = JSON.parse(text);
    } catch (err) {
      const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      problem(
        '/body',
        tooBig ? `was not checked: it inflates to more than ${MAX_DECODED_BYTES} bytes` : `is not JSON: ${(err as Error).message}`,
      );
    }
  }
  if (operation === undefined) return { violations, json };
  const [method, path] = [operation.slice(0, operation.indexOf(' ')), operation.slice(operation.indexOf(' ') + 1)];
  const documented = conformer.response(method, path, status);
  if (documented === undefined) {
    problem('/status', `${status} is not a documented answer of ${method.toUpperCase()} ${path}`);
    return { violations, json };
  }
  if (json !== undefined && documented.schema !== undefined) {
    for (const e of conformer.errors(documented.schema, json)) {
      const extra = (e.params as { additionalProperty?: string; missingProperty?: string } | undefined) ?? {};
      const where = `/body${e.instancePath}${extra.missingProperty ? `/${extra.missingProperty}` : ''}`;
      problem(where, e.message ?? 'does not match the schema');
    }
  }
  return { violations, json };
}

/** The most bytes an answer is inflated to for checking: a small compressed bomb stays small. */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  const options = { maxOutputLength: MAX_DECODED_BYTES };
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body, options);
    case 'deflate':
      return inflateSync(body, options);
    case 'br':
      return brotliDecompressSync(body, options);
    default:
      return body;
  }
}
