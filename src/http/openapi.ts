// The spec, enforced: express-openapi-validator checks every request (body, headers, content
// type, path and method) against the merged document, and in strict mode every response too.
// First: some patches must be in place before the validator's modules load (src/http/validator/).
import './validator/index.js';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Request, RequestHandler } from 'express';
import { withoutApi } from '../engine/contract/base-paths.js';
import type { OpenApiDocument } from '../engine/contract/types.js';
import { operationKey } from '../engine/engine.js';

export interface ValidatorOptions {
  /** Validate our own responses; a non-conforming one becomes a 500 naming the bad field. */
  validateResponses: boolean;
}

export function specValidator(spec: OpenApiDocument, options: ValidatorOptions): RequestHandler[] {
  // The assertion is needed (tsc: OpenApiDocument lacks 3.1's `webhooks`).
  return OpenApiValidator.middleware({
    apiSpec: spec as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
    // The spec was checked when it was written; re-checking it costs start-up time on every run.
    validateApiSpec: false,
    validateRequests: {
      allErrors: true,
      // Unknown query parameters are ignored, like unknown body fields: Sequence adds optional
      // parameters without a new version ("Backward-compatible changes include ... new, optional
      // query parameters"), so clients may send ones this copy of the document does not list yet.
      allowUnknownQueryParameters: true,
      // Not 'all': the validator applies removeAdditional to headers too, which would strip
      // Prefer (measured). Unknown body fields are dropped by the service instead.
      removeAdditional: false,
    },
    validateResponses: options.validateResponses ? { allErrors: true } : false,
    validateSecurity: false,
    // No operation of the document takes multipart bodies; the multipart middleware would still run
    // on every request (1.07x of POST throughput without it, docs/benchmarks.md).
    fileUploader: false,
  }) as RequestHandler[];
}

/** The operation the validator matched a request to (it leaves it on req.openapi), and its path parameters. */
export function matchedOperation(req: Request): { key: string; params: Record<string, string> } | undefined {
  const matched = (req as Request & { openapi?: { openApiRoute?: string; pathParams?: Record<string, string> } }).openapi;
  if (!matched?.openApiRoute) return undefined;
  return { key: operationKey(req.method, withoutApi(matched.openApiRoute)), params: matched.pathParams ?? {} };
}
