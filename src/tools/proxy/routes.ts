// --upstream: the fake as a validating proxy in front of Sequence. Each request is checked against the
// published document and forwarded as sent, with the caller's credentials, to the upstream only; the
// answer is checked too, and goes back unchanged (status, headers, body bytes), plus one header
// listing what either side got wrong. What diverged is logged, journalled and summed up by
// GET /__admin/divergences.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { withoutApi } from '../../engine/contract/base-paths.js';
import type { Conformer } from '../../engine/contract/conform.js';
import { parseBasicAuth } from '../../http/auth.js';
import { ApiError } from '../../http/errors.js';
import { olderVersionNamed } from '../../http/version.js';
import { checkRequest, checkResponse } from './check.js';
import { DIVERGENCES_HEADER, divergencesHeader, type Divergences, type Divergence } from './divergences.js';
import { connectionHeaders, MAX_UPSTREAM_BYTES, type Upstream } from './forward.js';
import type { Recorder } from './record.js';

/** The document an exchange is checked against: the request validator (as one handler) and its schemas. */
export interface CheckedBy {
  validator: RequestHandler;
  conformer: Conformer;
  /** Whether it is the current version's (only its answers are recorded: the store keeps that version's shapes). */
  current: boolean;
}

export interface ProxyDeps {
  upstream: Upstream;
  /** The document of the older API version a request names in Sequence-Version (undefined: the current one). */
  documentFor: (version: string | undefined) => CheckedBy;
  divergences: Divergences;
  logger: Logger;
  recorder: Recorder | undefined;
  /** The largest request body forwarded (413 above). */
  limit: number;
}

export function proxyRoutes(deps: ProxyDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    checkTarget(req.originalUrl);
    const raw = await readBody(req, deps.limit);
    const clientId = clientIdOf(req.headers.authorization);
    if (clientId !== undefined) res.locals.context.clientId = clientId;
    const asked = olderVersionNamed(req.headers['sequence-version']);
    // A version the document set does not have is forwarded and checked as the current one.
    const document = deps.documentFor(asked ?? undefined);
    const checked = await checkRequest(req, res, raw, document.validator);
    let answer;
    try {
      answer = await deps.upstream.send(req.method, withoutApi(req.originalUrl), req.rawHeaders, raw);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const status = code === 'ETIMEDOUT' ? 504 : 502;
      const message =
        code === 'ETOOLARGE'
          ? `The upstream ${deps.upstream.base.origin} answered more than ${MAX_UPSTREAM_BYTES} bytes: not forwarded`
          : `The upstream ${deps.upstream.base.origin} did not answer (${code})`;
      throw new ApiError(status, message, [{ path: '/', message }]);
    }
    const grouped = groupHeaders(answer.rawHeaders);
    const headers = Object.fromEntries([...grouped].map(([lower, { values }]) => [lower, values[0]!]));
    // The journal and the divergences name the request as the caller saw it: by the upstream's Request-Id.
    if (headers['request-id'] !== undefined) res.locals.context.requestId = headers['request-id'];
    const response = checkResponse(document.conformer, checked.operation, answer.status, headers, answer.body);
    const violations: Divergence[] = [...checked.violations, ...response.violations];
    const name = checked.operation
      ? checked.operation.replace(/^\S+/, (method) => method.toUpperCase())
      : `${req.method} ${withoutApi(req.path)}`;
    deps.divergences.record(name, res.locals.context.requestId, violations);
    if (violations.length > 0) {
      res.locals.context.divergences = violations;
      deps.logger.warn(
        { reqId: res.locals.context.requestId, operation: name, status: answer.status, divergences: violations },
        'divergence from the document',
      );
    }
    if (
      deps.recorder &&
      document.current &&
      clientId !== undefined &&
      checked.operation &&
      answer.status >= 200 &&
      answer.status < 300 &&
      response.json !== undefined
    ) {
      await deps.recorder.observe(clientId, checked.operation, checked.params, response.json).catch((err: unknown) => {
        deps.logger.error({ err, reqId: res.locals.context.requestId }, 'could not record the answer');
      });
    }
    // Only the upstream's headers: the ones this server set on its way here (Request-Id, Sequence-Version) go.
    for (const header of res.getHeaderNames()) res.removeHeader(header);
    const skipped = connectionHeaders(answer.rawHeaders);
    for (const [lower, { name, values }] of grouped) {
      if (!skipped.has(lower)) res.setHeader(name, values.length === 1 ? values[0]! : values);
    }
    if (violations.length > 0) res.setHeader(DIVERGENCES_HEADER, divergencesHeader(violations));
    res.statusCode = answer.status;
    res.statusMessage = answer.statusMessage;
    res.end(answer.body);
  };
}

/**
 * Only an origin-form target (`/path?query`) with no dot segments goes upstream: an absolute-form
 * (`http://elsewhere/...`) or `*` target, or `..` (also percent-encoded), could reach what the base
 * URL does not name.
 */
function checkTarget(target: string): void {
  const path = target.split('?')[0]!;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // undecodable escapes stay as sent: the upstream judges them
  }
  const problem = !path.startsWith('/')
    ? 'must be a path starting with / (origin-form)'
    : decoded.split(/[/\\]/).some((segment) => segment === '..' || segment === '.')
      ? 'must not contain . or .. segments'
      : undefined;
  if (problem) throw new ApiError(400, `The request target ${problem}`, [{ path: '/', message: problem }]);
}

/** Raw headers by lower-case name: the name as first sent, and every value in order (Set-Cookie repeats). */
function groupHeaders(rawHeaders: readonly string[]): Map<string, { name: string; values: string[] }> {
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    const group = grouped.get(lower);
    if (group) group.values.push(rawHeaders[i + 1]!);
    else grouped.set(lower, { name, values: [rawHeaders[i + 1]!] });
  }
  return grouped;
}

/** The client id, for the journal's partition and the recording: the secret is never read here. */
function clientIdOf(authorization: string | undefined): string | undefined {
  try {
    return parseBasicAuth(authorization).clientId;
  } catch {
    return undefined;
  }
}

async function readBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      const message = `must be at most ${limit} bytes to be forwarded`;
      throw new ApiError(413, 'Request body too large', [{ path: '/body', message }]);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
