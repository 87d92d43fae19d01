// The spec, enforced: express-openapi-validator checks every request (body, headers, content
// type, path and method) against the merged document, and in strict mode every response too.
import * as OpenApiValidator from 'express-openapi-validator';
import type { RequestHandler } from 'express';
import { createRequire } from 'node:module';
import type { OpenApiDocument } from '../spec.js';

/**
 * Loads modules as express-openapi-validator itself resolves them, so the patches below reach the
 * copies it uses. Both patch internals of 5.6.2 (pinned exactly; a test fails on any other version).
 */
const validatorRequire = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));

/**
 * express-openapi-validator 5.6.2 compiles every route's path-to-regexp matcher again on every
 * request while it looks the route up (~10% of a POST's CPU, measured with --cpu-prof); upstream's
 * fix is open (cdimascio/express-openapi-validator#1217, "perf: cache route matchers"). Until it
 * ships, memoize pathToRegexp for the copy the validator loads: it is a pure function of its
 * arguments, and the validator only reads the result. The cache holds one entry per route.
 */
function cacheRouteMatchers(): void {
  const pathToRegexpModule = validatorRequire('path-to-regexp') as {
    pathToRegexp: (path: unknown, options?: Record<string, unknown>) => unknown;
    __sequenceMockCached?: boolean;
  };
  if (pathToRegexpModule.__sequenceMockCached) return;
  const compile = pathToRegexpModule.pathToRegexp;
  // path -> the four (sensitive, strict) combinations the validator asks for. Calls with any other
  // option (express's own router, at start-up) are passed straight through.
  const cache = new Map<string, unknown[]>();
  pathToRegexpModule.pathToRegexp = (path, options) => {
    if (typeof path !== 'string' || options === undefined) return compile(path, options);
    for (const key in options) if (key !== 'sensitive' && key !== 'strict') return compile(path, options);
    const slot = (options.sensitive ? 1 : 0) | (options.strict ? 2 : 0);
    let compiled = cache.get(path);
    if (compiled === undefined) cache.set(path, (compiled = []));
    return (compiled[slot] ??= compile(path, options));
  };
  pathToRegexpModule.__sequenceMockCached = true;
}
cacheRouteMatchers();

/**
 * express-openapi-validator 5.6.2 compiles the whole OpenAPI 3.0 meta-schema with ajv at start-up
 * even with `validateApiSpec: false`, and never uses it then (about a quarter of the time to the
 * first answer, measured with --cpu-prof; ../shared/perf-notes.md). Its framework reads the class
 * from the module's exports when it starts, so a class that compiles on first validate() keeps every
 * behaviour (validateApiSpec: true still validates) and drops the unused work.
 */
function compileMetaSchemaOnDemand(): void {
  const module = validatorRequire('./framework/openapi.schema.validator') as {
    OpenAPISchemaValidator: new (opts: object) => { validate(doc: unknown): { errors: unknown[] } };
    __sequenceMockLazy?: boolean;
  };
  if (module.__sequenceMockLazy) return;
  const Eager = module.OpenAPISchemaValidator;
  module.OpenAPISchemaValidator = class LazyOpenAPISchemaValidator {
    private compiled: InstanceType<typeof Eager> | undefined;
    constructor(private readonly opts: object) {}
    validate(doc: unknown) {
      return (this.compiled ??= new Eager(this.opts)).validate(doc);
    }
  };
  module.__sequenceMockLazy = true;
}
compileMetaSchemaOnDemand();

export interface ValidatorOptions {
  /** Validate our own responses; a non-conforming one becomes a 500 naming the bad field. */
  validateResponses: boolean;
}

export function specValidator(spec: OpenApiDocument, options: ValidatorOptions): RequestHandler[] {
  return OpenApiValidator.middleware({
    apiSpec: spec as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
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
  }) as unknown as RequestHandler[];
}
