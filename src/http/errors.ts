// The one place errors become responses: every 4xx/5xx the fake sends is Sequence's documented
// envelope, {"error": {"type", "message"}} (ErrorResponse in spec/mock.yaml), built by errorBody(),
// with the violations and the request id inside it. Messages and types are named constants so tests
// assert on them.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { components } from '../generated/mock.js';
import { NotFound, RuleViolation, type Violation } from '../engine/errors.js';
import { DataFileWriteError } from '../engine/store/data-file-error.js';

export type ErrorEnvelope = components['schemas']['ErrorResponse'];
/** Sequence's supported version, sent on every response (docs.sequencehq.com/reference/versioning). */
export const SEQUENCE_VERSION = '2024-07-30';
export type { Violation };

export const MESSAGES = {
  authMissing: 'Missing Authorization header. Send "Authorization: Basic base64(clientId:clientSecret)".',
  authScheme: 'Authorization must use the Basic scheme: "Basic base64(clientId:clientSecret)".',
  authEncoding: 'Authorization credentials are not valid base64 of "clientId:clientSecret".',
  authEmpty: 'Authorization credentials need a non-empty client id and client secret.',
  authRejected: 'Unknown client id or wrong client secret.',
  validation: 'Request validation failed',
  malformedJson: 'Request body is not valid JSON',
  invalidUtf8: 'Request body is not valid UTF-8',
  tooDeep: 'Request body nests objects and arrays too deeply',
  tooManyItems: 'Request body has an array with too many items',
  undecodable: 'Request body cannot be decoded as its Content-Encoding says',
  headersTooLarge: 'Request headers are larger than the server accepts (16 KB in all)',
  badRequest: 'The request is not valid HTTP',
  connect: 'CONNECT is not supported: sequence-mock is not a forward proxy',
  partitionFull: (max: number) =>
    `This partition holds ${max} records, the most sequence-mock keeps per client id: delete some, reset it (POST /__admin/reset) or use another client id`,
  requestTimeout: 'The request was not received in time',
  tooLarge: 'Request body is larger than the 1 MB limit',
  unsupportedMedia: 'Content-Type must be application/json',
  notFound: 'No such resource',
  noRoute: "No such operation: sequence-mock serves every operation of Sequence's API (2024-07-30) and its own /__admin API",
  methodNotAllowed: 'Method not allowed on this path',
  adminToken: "The admin API needs the X-Admin-Token header with the server's ADMIN_TOKEN.",
  adminAllPartitions:
    'This server checks credentials and has no ADMIN_TOKEN, so the admin API acts only on the partition of the credentials sent: send Authorization: Basic ... (or start the server with ADMIN_TOKEN)',
  adminServerWide: 'This admin call is server-wide: send no Authorization header (and X-Admin-Token when the server has one)',
  adminHost: (host: string) =>
    `The admin API does not answer for Host "${host}" (a guard against DNS rebinding): use localhost or an IP address, or add the name to ALLOWED_HOSTS`,
  adminCrossOrigin: 'The admin API refuses changes sent by a web page of another origin',
  seedNeedsPartition: 'Seeding needs Sequence credentials (Authorization: Basic ...) naming the partition to seed.',
  webhooksNeedPartition: 'This needs Sequence credentials (Authorization: Basic ...) naming the partition whose webhooks it acts on.',
  notWithUpstream: 'This server forwards to an upstream: it delivers no webhooks and runs no test clocks.',
  resetAllExplicit:
    'Resetting every partition needs {"all": true} in the body; send Sequence credentials (Authorization: Basic ...) to reset only that client id\'s partition.',
  resetAllWithCredentials: 'A call with credentials resets its own partition only; leave out "all", or the credentials.',
  internal: 'Internal server error',
  storeUnavailable:
    'The data file cannot be written, so changes are refused until the server is restarted with a writable one (reads still work)',
  responseInvalid: 'sequence-mock produced a response that does not conform to openapi.yaml (a bug in the fake)',
  // Verbatim from docs.sequencehq.com/reference/versioning.
  unrecognisedVersion: 'No matching API version found. Please make sure the specified API version is valid.',
  idempotencyKeyReused: 'was already used with a different request; a retry must send the same method, path and body',
  idempotencyInFlight: 'A request with this Idempotency-Key is still being processed; retry once it has been answered',
} as const;

/** The `type` of each error, in Sequence's style (its one documented type is UnrecognisedApiVersion). */
export const ERROR_TYPES = {
  validation: 'ValidationError',
  unrecognisedVersion: 'UnrecognisedApiVersion',
  storeUnavailable: 'DataFileUnavailable',
  idempotencyKeyReused: 'IdempotencyKeyReused',
  byStatus: {
    400: 'BadRequest',
    401: 'Unauthorised',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    408: 'RequestTimeout',
    409: 'Conflict',
    413: 'PayloadTooLarge',
    415: 'UnsupportedMediaType',
    429: 'TooManyRequests',
    431: 'RequestHeadersTooLarge',
    500: 'InternalServerError',
    502: 'UpstreamUnavailable',
    503: 'ServiceUnavailable',
    504: 'UpstreamTimeout',
    507: 'PartitionFull',
  } as Record<number, string>,
} as const;

const typeOf = (status: number) => ERROR_TYPES.byStatus[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');

/** An error the HTTP layer answers with `status`; `errors` name the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Violation[] = [],
    readonly headers: Record<string, string> = {},
    readonly type: string = typeOf(status),
    /** Send only Sequence's documented {type, message}, as for an unrecognised version. */
    readonly bare = false,
  ) {
    super(message);
  }
}

/** A 400 listing every violation (the validator's, a business rule's, a header's), as one sentence and as data. */
/**
 * The most problems one answer lists: past it, the first ones and a last entry counting the rest
 * (a body can hold thousands of errors; listing them all made answers and journal entries of MBs).
 */
export const MAX_LISTED_ERRORS = 100;

export function validationError(errors: Violation[], type: string = ERROR_TYPES.validation): ApiError {
  const listed =
    errors.length <= MAX_LISTED_ERRORS
      ? errors
      : [
          ...errors.slice(0, MAX_LISTED_ERRORS),
          {
            path: '/body',
            message: `and ${errors.length - MAX_LISTED_ERRORS} more problems not listed (at most ${MAX_LISTED_ERRORS} are)`,
          },
        ];
  return new ApiError(400, `${MESSAGES.validation}: ${describe(listed)}`, listed, {}, type);
}

export function errorBody(err: Pick<ApiError, 'type' | 'message' | 'errors' | 'bare'>, requestId: string): ErrorEnvelope {
  if (err.bare) return { error: { type: err.type, message: err.message } };
  return { error: { type: err.type, message: err.message, errors: err.errors, requestId } };
}

/**
 * Whether the operation a request matched documents an error body of its own for a status that
 * lists the problems at its top level (`{"errors": [...]}`, the document's DatabaseErrors), instead
 * of leaving errors to the envelope.
 */
export type ListsErrors = (req: Request, status: number) => boolean;

export function sendError(res: Response, err: ApiError, listsErrors?: boolean): void {
  // For the journal: what a 4xx named, so the dashboard can show why a request failed.
  res.locals.context.errors = err.errors;
  const body = errorBody(err, res.locals.context.requestId);
  // Such an operation's own documented answer, with the envelope inside it for clients that read that.
  res
    .status(err.status)
    .set(err.headers)
    .json(listsErrors ? { errors: err.errors, ...body } : body);
}

/** express-openapi-validator's HttpError, as far as we read it. */
interface ValidatorError {
  status: number;
  message: string;
  path?: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
}
/** body-parser's errors carry a `type`. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isValidatorError(err: unknown): err is ValidatorError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as ValidatorError).status === 'number' &&
    Array.isArray((err as ValidatorError).errors)
  );
}
function isZlibError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? Reflect.get(err, 'code') : undefined;
  return typeof code === 'string' && /^(Z_|ERR_BROTLI|ERR__ERROR_FORMAT)/.test(code);
}
function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as BodyParserError).type === 'string' &&
    typeof (err as BodyParserError).status === 'number'
  );
}

/**
 * The envelope for a request Node rejects before Express sees it (the http server's
 * 'clientError'): oversized headers (431), a request too slow to arrive (408), broken HTTP (400).
 * Written straight to the socket, as a complete response that closes the connection.
 */
export function clientErrorResponse(code: string | undefined, requestId: string): string {
  const [status, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, MESSAGES.headersTooLarge]
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, MESSAGES.requestTimeout]
        : code === 'CONNECT'
          ? [405, MESSAGES.connect]
          : [400, MESSAGES.badRequest];
  const body = JSON.stringify(errorBody(new ApiError(status, message, [{ path: status === 431 ? '/headers' : '/', message }]), requestId));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nRequest-Id: ${requestId}\r\nSequence-Version: ${SEQUENCE_VERSION}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/** Maps whatever was thrown to the one envelope. Unknown errors are logged and answered with a bare 500. */
export function toApiError(err: unknown, method: string, path: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DataFileWriteError)
    return new ApiError(503, MESSAGES.storeUnavailable, [{ path: '/', message: err.message }], {}, ERROR_TYPES.storeUnavailable);
  if (err instanceof RuleViolation) return validationError(err.violations);
  if (err instanceof NotFound) return new ApiError(404, MESSAGES.notFound, [err.violation]);
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return new ApiError(400, MESSAGES.malformedJson, [{ path: '/body', message: err.message }]);
      case 'entity.verify.failed':
        return new ApiError(400, MESSAGES.invalidUtf8, [{ path: '/body', message: 'must be UTF-8 encoded' }]);
      case 'entity.too.deep':
        return new ApiError(400, MESSAGES.tooDeep, [{ path: '/body', message: err.message }]);
      case 'entity.too.large':
        return new ApiError(413, MESSAGES.tooLarge, [{ path: '/body', message: 'must be at most 1048576 bytes' }]);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new ApiError(415, MESSAGES.unsupportedMedia, [{ path: '/headers/content-type', message: err.message }]);
      case 'request.aborted':
        return new ApiError(400, err.message, [{ path: '/body', message: err.message }]);
    }
  }
  // A compressed body that does not inflate (garbage, truncated): body-parser passes zlib's error on
  // with status 400 and no type.
  if (isZlibError(err)) return new ApiError(400, MESSAGES.undecodable, [{ path: '/headers/content-encoding', message: err.message }]);
  if (isValidatorError(err)) {
    switch (err.status) {
      case 400: {
        // A oneOf with a discriminator reports the request's URL as the path (2024-01-01's price
        // structure): the body is what it is about.
        const located = (at: string) => (/^\/(body|query|path|headers)(\/|$)/.test(at) ? at : '/body');
        return validationError((err.errors ?? []).map((e) => ({ path: located(e.path), message: e.message })));
      }
      case 404:
        return new ApiError(404, MESSAGES.noRoute, [{ path, message: `no operation ${method} ${path}` }]);
      case 405:
        return new ApiError(
          405,
          MESSAGES.methodNotAllowed,
          [{ path, message: `${method} is not allowed; allowed: ${err.headers?.Allow ?? ''}` }],
          err.headers ?? {},
        );
      case 415:
        return new ApiError(415, MESSAGES.unsupportedMedia, [{ path: '/headers/content-type', message: err.message }]);
    }
  }
  // Anything else is a fault in the fake (including a response that failed validation in strict mode).
  const errors = isValidatorError(err) ? (err.errors ?? []).map((e) => ({ path: e.path, message: e.message })) : [];
  return new ApiError(500, errors.length ? MESSAGES.responseInvalid : MESSAGES.internal, errors);
}

function describe(errors: Violation[]): string {
  return errors.map((e) => `${e.path} ${e.message}`).join('; ');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, MESSAGES.noRoute, [{ path: req.path, message: `no operation ${req.method} ${req.path}` }]));
};

export function errorHandler(logger: Logger, listsErrors: ListsErrors = () => false): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, req.method, req.path);
    if (apiError.status >= 500 && apiError.status !== 507)
      logger.error({ err, requestId: res.locals.context?.requestId }, 'request failed');
    if (res.headersSent) return void res.end();
    sendError(res, apiError, !apiError.bare && listsErrors(req, apiError.status));
  };
}
