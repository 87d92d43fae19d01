// The one place errors become responses: every 4xx/5xx the fake sends is a MockError envelope
// (spec/mock.yaml) built by errorBody(). Messages are named constants so tests assert on them.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { components } from '../generated/mock.js';
import { RuleViolation, type Violation } from '../customers/rules.js';
import { DataFileWriteError } from '../store/data-file-error.js';

export type ErrorEnvelope = components['schemas']['MockError'];
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
  headersTooLarge: 'Request headers are larger than the server accepts (16 KB in all)',
  badRequest: 'The request is not valid HTTP',
  requestTimeout: 'The request was not received in time',
  tooLarge: 'Request body is larger than the 1 MB limit',
  unsupportedMedia: 'Content-Type must be application/json',
  notFound: 'No such resource',
  noRoute: 'No such operation in the Customers API',
  methodNotAllowed: 'Method not allowed on this path',
  adminToken: 'The admin API needs the X-Admin-Token header with the server\'s ADMIN_TOKEN.',
  seedNeedsPartition: 'Seeding needs Sequence credentials (Authorization: Basic ...) naming the partition to seed.',
  internal: 'Internal server error',
  storeUnavailable: 'The data file cannot be written, so changes are refused until the server is restarted with a writable one (reads still work)',
  responseInvalid: 'sequence-mock produced a response that does not conform to openapi.yaml (a bug in the fake)',
} as const;

/** An error the HTTP layer answers with `status`; `errors` name the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Violation[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(status: number, message: string, errors: Violation[], requestId: string): ErrorEnvelope {
  return { status, error: STATUS_CODES[status] ?? 'Error', message, errors, requestId };
}

export function sendError(res: Response, err: ApiError): void {
  res.status(err.status).set(err.headers).json(errorBody(err.status, err.message, err.errors, String(res.locals.requestId)));
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
interface BodyParserError { type: string; status: number; message: string }

function isValidatorError(err: unknown): err is ValidatorError {
  return typeof err === 'object' && err !== null && typeof (err as ValidatorError).status === 'number' && Array.isArray((err as ValidatorError).errors);
}
function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as BodyParserError).type === 'string' && typeof (err as BodyParserError).status === 'number';
}

/**
 * The envelope for a request Node rejects before Express sees it (the http server's
 * 'clientError'): oversized headers (431), a request too slow to arrive (408), broken HTTP (400).
 * Written straight to the socket, as a complete response that closes the connection.
 */
export function clientErrorResponse(code: string | undefined, requestId: string): string {
  const [status, message] =
    code === 'HPE_HEADER_OVERFLOW' ? [431, MESSAGES.headersTooLarge] : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, MESSAGES.requestTimeout] : [400, MESSAGES.badRequest];
  const body = JSON.stringify(errorBody(status, message, [{ path: status === 431 ? '/headers' : '/', message }], requestId));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nRequest-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** Maps whatever was thrown to the one envelope. Unknown errors are logged and answered with a bare 500. */
export function toApiError(err: unknown, method: string, path: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DataFileWriteError) return new ApiError(503, MESSAGES.storeUnavailable, [{ path: '/', message: err.message }]);
  if (err instanceof RuleViolation) return new ApiError(400, `${MESSAGES.validation}: ${describe(err.violations)}`, err.violations);
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return new ApiError(400, MESSAGES.malformedJson, [{ path: '/body', message: err.message }]);
      case 'entity.verify.failed':
        return new ApiError(400, MESSAGES.invalidUtf8, [{ path: '/body', message: 'must be UTF-8 encoded' }]);
      case 'entity.too.large':
        return new ApiError(413, MESSAGES.tooLarge, [{ path: '/body', message: 'must be at most 1048576 bytes' }]);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new ApiError(415, MESSAGES.unsupportedMedia, [{ path: '/headers/content-type', message: err.message }]);
      case 'request.aborted':
        return new ApiError(400, err.message, [{ path: '/body', message: err.message }]);
    }
  }
  if (isValidatorError(err)) {
    switch (err.status) {
      case 400: {
        const errors = (err.errors ?? []).map((e) => ({ path: e.path, message: e.message }));
        return new ApiError(400, `${MESSAGES.validation}: ${describe(errors)}`, errors);
      }
      case 404:
        return new ApiError(404, MESSAGES.noRoute, [{ path, message: `no operation ${method} ${path}` }]);
      case 405:
        return new ApiError(405, MESSAGES.methodNotAllowed, [{ path, message: `${method} is not allowed; allowed: ${err.headers?.Allow ?? ''}` }], err.headers ?? {});
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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, req.method, req.path);
    if (apiError.status >= 500) logger.error({ err, requestId: res.locals.requestId }, 'request failed');
    if (res.headersSent) return void res.end();
    sendError(res, apiError);
  };
}
