// Nine patches to express-openapi-validator 5.6.2's internals, each for a cost measured with
// --cpu-prof and each behaviour-preserving. The version is pinned exactly; a test fails on any other
// (test/contract.test.ts), since every patch reaches into files the package does not export.
import { createRequire } from 'node:module';

/**
 * Loads modules as express-openapi-validator itself resolves them, so the patches below reach the
 * copies it uses. Both patch internals of 5.6.2 (pinned exactly; a test fails on any other version).
 */
const validatorRequire = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));

/**
 * The validator deep-copies the document it is given with lodash.clonedeep when it starts (and again
 * for response validation): 58 ms of a cold start with Sequence's document, where structuredClone
 * takes about 20 (measured with --cpu-prof and side by side). A document is plain data, which both
 * copy alike; anything structuredClone refuses (a function) is copied by lodash as before. The
 * validator binds the function when its modules load, so this runs first: src/http/openapi.ts
 * imports this module before the validator.
 */
function copyDocumentsNatively(): void {
  const path = validatorRequire.resolve('lodash.clonedeep');
  const lodash = validatorRequire(path) as ((value: unknown) => unknown) & { __sequenceMockNative?: boolean };
  if (lodash.__sequenceMockNative) return;
  const native = Object.assign(
    (value: unknown) => {
      try {
        return structuredClone(value);
      } catch {
        return lodash(value);
      }
    },
    { __sequenceMockNative: true },
  );
  validatorRequire.cache[path]!.exports = native;
}
copyDocumentsNatively();

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

type Json = Record<string, unknown>;
interface Context {
  expressRouteMap: Record<string, Json & { basePath: string; _openApiRoute: string }>;
  openApiRouteMap: Record<string, Json>;
  apiDoc: { paths: Record<string, Record<string, unknown>> };
  useRequestUrl: boolean;
  ignoreUndocumented: boolean;
  serial: number;
  shouldIgnoreRoute(path: string): boolean;
  isManagedRoute(path: string): boolean;
}
interface Route {
  expressRoute: string;
  openApiRoute: string;
  pathKey: string;
  regexp: RegExp;
  keys: string[];
}
type Req = {
  path: string;
  baseUrl: string;
  url: string;
  originalUrl: string;
  method: string;
  params: unknown;
  openapi?: unknown;
  app: { enabled(name: string): boolean };
};

/**
 * The route lookup of applyOpenApiMetadata, per request, walked every route of the document with
 * Object.entries, reading two app settings and a route pair for each and trying each route's regexp
 * until one matched: a cost that grew with the document (173 operations on two base paths: 240
 * routes). Here the routes are compiled once and indexed by path segment (indexRoutes), so a request
 * tries only the routes its segments can match, in the document's order, with the same regexps: the
 * same first match, the same 404/405/400s. The rest of the middleware is upstream's, unchanged.
 */
/** The routes a request path could match, in their original order: each still to be tried with its regexp. */
export type RouteIndex = (path: string) => readonly Route[];
interface Node {
  literal: Map<string, Node>;
  param?: Node;
  ending: number[];
}
/** A segment made only of characters path-to-regexp reads literally and `i` folds as toLowerCase does. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_.~-]*$/;
const PARAM_SEGMENT = /^:[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A segment trie over express routes as path-to-regexp 8 compiles them (`:name` matches one non-empty
 * segment, one trailing slash is allowed, case folded unless `sensitive`). A route with any other syntax
 * (wildcards, optional groups, several parameters in a segment, other characters) is always a
 * candidate, so the index can only narrow what the regexps are tried on, never change what matches.
 */
export function indexRoutes<R extends { expressRoute: string }>(routes: readonly R[], sensitive: boolean): (path: string) => readonly R[] {
  const fold = (segment: string) => (sensitive ? segment : segment.toLowerCase());
  const root: Node = { literal: new Map(), ending: [] };
  const always: number[] = [];
  routes.forEach((route, i) => {
    const segments = route.expressRoute.split('/').slice(1);
    if (!segments.every((segment) => PARAM_SEGMENT.test(segment) || (segment !== '' && PLAIN_SEGMENT.test(segment)))) {
      always.push(i);
      return;
    }
    let node = root;
    for (const segment of segments) {
      if (segment.startsWith(':')) node = node.param ??= { literal: new Map(), ending: [] };
      else {
        const key = fold(segment);
        let next = node.literal.get(key);
        if (!next) node.literal.set(key, (next = { literal: new Map(), ending: [] }));
        node = next;
      }
    }
    node.ending.push(i);
  });
  return (path) => {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const segments = trimmed.split('/').slice(1);
    const found = [...always];
    const walk = (node: Node, depth: number) => {
      if (depth === segments.length) return void found.push(...node.ending);
      const segment = segments[depth]!;
      const literal = node.literal.get(fold(segment));
      if (literal) walk(literal, depth + 1);
      if (node.param && segment !== '') walk(node.param, depth + 1);
    };
    if (path.startsWith('/')) walk(root, 0);
    return found.length <= 1 ? found.map((i) => routes[i]!) : found.sort((a, b) => a - b).map((i) => routes[i]!);
  };
}

function lookupRoutesFromTable(): void {
  const module = validatorRequire('./middlewares/openapi.metadata') as { applyOpenApiMetadata: unknown; __sequenceMockTable?: boolean };
  if (module.__sequenceMockTable) return;
  const { zipObject } = validatorRequire('./middlewares/util') as { zipObject: (keys: string[], values: string[]) => Json };
  const types = validatorRequire('./framework/types') as Record<'MethodNotAllowed' | 'NotFound' | 'BadRequest', new (e: object) => Error>;
  const { httpMethods } = validatorRequire('./middlewares/parsers/schema.preprocessor') as { httpMethods: Set<string> };
  const { pathToRegexp } = validatorRequire('path-to-regexp') as {
    pathToRegexp: (path: string, o: object) => { regexp: RegExp; keys: { name: string }[] };
  };

  module.applyOpenApiMetadata = (context: Context, responseApiDoc?: { paths: Record<string, Record<string, unknown>> }) => {
    let table: { routes: Route[]; index: RouteIndex } | undefined;
    const build = (req: Req) => {
      const options = { sensitive: !!req.app.enabled('case sensitive routing'), strict: !!req.app.enabled('strict routing') };
      const routes = Object.entries(context.expressRouteMap).map(([expressRoute, methods]): Route => {
        const openApiRoute = methods._openApiRoute;
        const { regexp, keys } = pathToRegexp(expressRoute, options);
        return {
          expressRoute,
          openApiRoute,
          pathKey: openApiRoute.substring(methods.basePath.length),
          regexp,
          keys: keys.map((k) => k.name),
        };
      });
      return { routes, index: indexRoutes(routes, options.sensitive) };
    };
    const lookupRoute = (req: Req) => {
      table ??= build(req);
      const path = (context.useRequestUrl ? req.url : req.originalUrl).split('?')[0]!;
      const method = req.method.toLowerCase();
      for (const route of table.index(path)) {
        const matched = route.regexp.exec(path);
        if (!matched) continue;
        let pathParams: Json;
        try {
          pathParams = zipObject(route.keys, matched.slice(1).map(decodeURIComponent));
        } catch {
          throw new types.BadRequest({ path: req.path, message: `malformed uri'` });
        }
        return {
          schema: context.apiDoc.paths[route.pathKey]![method],
          expressRoute: route.expressRoute,
          openApiRoute: route.openApiRoute,
          pathParams,
          serial: -1,
          _responseSchema: responseApiDoc?.paths[route.pathKey]![method],
        };
      }
      return null;
    };
    // Upstream's middleware from here on, as published in 5.6.2.
    return (req: Req, _res: unknown, next: () => void) => {
      const path = req.path.startsWith(req.baseUrl) ? req.path : `${req.baseUrl}/${req.path}`;
      if (context.shouldIgnoreRoute(path)) return next();
      const matched = lookupRoute(req);
      if (matched) {
        const { expressRoute, openApiRoute, pathParams, schema } = matched;
        if (!schema) {
          if (context.ignoreUndocumented) return next();
          throw new types.MethodNotAllowed({
            path: req.path,
            message: `${req.method} method not allowed`,
            headers: {
              Allow: Object.keys(context.openApiRouteMap[openApiRoute]!)
                .filter((key) => httpMethods.has(key.toLowerCase()))
                .join(', '),
            },
          });
        }
        req.openapi = {
          expressRoute,
          openApiRoute,
          pathParams,
          schema,
          serial: context.serial,
          ...(responseApiDoc && { _responseSchema: matched._responseSchema }),
        };
        req.params = pathParams;
      } else if (context.isManagedRoute(path) && !context.ignoreUndocumented) {
        throw new types.NotFound({ path: req.path, message: 'not found' });
      }
      next();
    };
  };
  module.__sequenceMockTable = true;
}
lookupRoutesFromTable();

/**
 * At start-up the schema preprocessor resolves every `$ref` it meets with `ajv.getSchema(ref).schema`:
 * ajv compiles the whole referenced schema (code generation included) only for the preprocessor to
 * read back the object it was given, on an ajv instance used for nothing else. With Sequence's whole
 * document that was 0.9 s of a 1.8 s start (measured with --cpu-prof). For a reference to a component
 * schema by name, the object ajv hands back is the one the document holds
 * (`ajv.addSchema(components.schemas[id], '#/components/schemas/' + id)`), so it is read from the
 * document instead; any other reference goes the upstream way. test/contract.test.ts checks both give
 * the same object for every schema of the published document.
 */
function resolveComponentSchemasByName(): void {
  const module = validatorRequire('./middlewares/parsers/schema.preprocessor') as {
    SchemaPreprocessor: { prototype: { resolveSchema: (this: PreprocessorLike, schema: unknown) => unknown } };
    __sequenceMockResolve?: boolean;
  };
  if (module.__sequenceMockResolve) return;
  const upstream = module.SchemaPreprocessor.prototype.resolveSchema;
  module.SchemaPreprocessor.prototype.resolveSchema = function resolveSchema(this: PreprocessorLike, schema: unknown) {
    const ref = (schema as { $ref?: unknown } | null | undefined)?.$ref;
    if (typeof ref === 'string' && !this.resolvedSchemaCache.has(ref)) {
      const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      const name = match && match[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
      const schemas = this.apiDoc.components?.schemas;
      if (name && schemas && Object.hasOwn(schemas, name)) {
        this.resolvedSchemaCache.set(ref, schemas[name]);
        return schemas[name];
      }
    }
    return upstream.call(this, schema);
  };
  module.__sequenceMockResolve = true;
}
interface PreprocessorLike {
  resolvedSchemaCache: Map<string, unknown>;
  apiDoc: { components?: { schemas?: Record<string, unknown> } };
  resolveSchema(schema: unknown): unknown;
}
resolveComponentSchemasByName();

/**
 * The validator hands the document to json-schema-ref-parser's bundle() before anything else: 0.33-0.40 s
 * with Sequence's whole document (measured with --cpu-prof), to return the very object it was given,
 * unchanged, when every `$ref` already points at a component of the document itself (checked for the
 * shipped document in test/contract.test.ts). So for such a document the object is returned as bundle()
 * would; anything else (a file path, a reference elsewhere) is still bundled upstream's way.
 */
function skipBundlingSelfContainedDocuments(): void {
  const module = validatorRequire('./framework/index') as {
    OpenAPIFramework: { prototype: { loadSpec: (this: unknown, spec: unknown, refParser?: { mode?: string }) => unknown } };
    __sequenceMockSelfContained?: boolean;
  };
  if (module.__sequenceMockSelfContained) return;
  const upstream = module.OpenAPIFramework.prototype.loadSpec;
  module.OpenAPIFramework.prototype.loadSpec = function loadSpec(this: unknown, spec: unknown, refParser?: { mode?: string }) {
    if ((refParser?.mode ?? 'bundle') === 'bundle' && typeof spec === 'object' && spec !== null && isSelfContained(spec))
      return Promise.resolve(spec);
    return upstream.call(this, spec, refParser);
  };
  module.__sequenceMockSelfContained = true;
}

const selfContained = new WeakMap<object, { paths: unknown; contained: boolean }>();
/**
 * onlyComponentRefs, remembered per document (by its components and paths objects): two patches ask
 * it of the same document at start-up, and the walk is 30 ms with Sequence's whole document.
 */
function isSelfContained(document: { paths?: unknown; components?: unknown }): boolean {
  const key = document.components;
  if (typeof key !== 'object' || key === null) return onlyComponentRefs(document);
  const known = selfContained.get(key);
  if (known && known.paths === document.paths) return known.contained;
  const contained = onlyComponentRefs(document);
  selfContained.set(key, { paths: document.paths, contained });
  return contained;
}

/** Whether every `$ref` in the document is `#/components/<kind>/<name>` naming something the document has. */
export function onlyComponentRefs(document: object): boolean {
  const components = (document as { components?: Record<string, Record<string, unknown> | undefined> }).components ?? {};
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') {
        const match = typeof value === 'string' ? /^#\/components\/([^/]+)\/([^/]+)$/.exec(value) : null;
        if (!match || components[match[1]!]?.[match[2]!.replace(/~1/g, '/').replace(/~0/g, '~')] === undefined) return false;
      } else if (typeof value === 'object' && value !== null) {
        pending.push(value);
      }
    }
  }
  return true;
}
skipBundlingSelfContainedDocuments();

/**
 * Wraps both of the validator's ajv factories (request and response) once, marking the module with
 * `flag` so the patch is applied only once however often this module is loaded.
 */
function wrapAjvFactories<F extends (spec: never, options?: unknown) => object>(flag: string, wrap: (make: F) => F): void {
  const module = validatorRequire('./framework/ajv') as Record<string, unknown> & { createRequestAjv: F; createResponseAjv: F };
  if (module[flag]) return;
  module.createRequestAjv = wrap(module.createRequestAjv);
  module.createResponseAjv = wrap(module.createResponseAjv);
  module[flag] = true;
}

/**
 * express-openapi-validator makes an ajv instance holding every component schema of the document for
 * the schema preprocessor, the multipart parser and (two) for the request validator, each walking all
 * of them as it is made (0.3 s each with Sequence's whole document, measured with --cpu-prof). With
 * component references resolved by name (above) the preprocessor's is never used, nor the multipart
 * parser's for a JSON API. So an instance is made on its first use: the same instance, later. (Made
 * eagerly, it would also delete `x-stoplight` keys from the document at once; Sequence's document
 * has none, checked in test/contract.test.ts.)
 */
function makeAjvOnFirstUse(): void {
  type Factory = (spec: unknown, options?: unknown) => object;
  wrapAjvFactories<Factory>('__sequenceMockLazyAjv', (make) => (spec, options) => {
    let made: object | undefined;
    const real = () => (made ??= make(spec, options));
    return new Proxy(
      {},
      {
        get: (_target, key) => {
          const value = Reflect.get(real(), key) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real()) : value;
        },
        set: (_target, key, value) => Reflect.set(real(), key, value),
        has: (_target, key) => Reflect.has(real(), key),
      },
    );
  });
}
addComponentSchemasOnDemand();
makeAjvOnFirstUse();

/**
 * Every ajv instance the validator makes starts by walking the whole document for `x-stoplight` keys and
 * adding every component schema, each add walking that schema for ids (json-schema-traverse: 0.2 s of
 * the first request with Sequence's whole document, measured with --cpu-prof; a request needs a handful
 * of the 700 schemas). So an instance is made from the document without its components, and each
 * component schema is added, under the same key upstream uses, when ajv first looks that key up
 * (compiling a `$ref` or getSchema). The `x-stoplight` clean-up still runs, once per document.
 */
function addComponentSchemasOnDemand(): void {
  type Doc = { openapi: string; components?: { schemas?: Record<string, object> } };
  type AjvLike = { schemas: Record<string, unknown>; addSchema(schema: object, key: string): unknown };
  type Factory = (spec: Doc, options?: unknown) => AjvLike;
  const traverse = validatorRequire('json-schema-traverse') as (
    doc: object,
    o: object,
    visit: (schema: Record<string, unknown>) => void,
  ) => void;
  const cleaned = new WeakSet<object>();
  wrapAjvFactories<Factory>('__sequenceMockOnDemand', (make) => (spec, options) => {
    if (!cleaned.has(spec)) {
      // Upstream's clean-up, verbatim, once per document instead of once per instance.
      traverse(spec, { allKeys: true }, (schema) => {
        if ('x-stoplight' in schema) delete schema['x-stoplight'];
      });
      cleaned.add(spec);
    }
    const ajv = make({ openapi: spec.openapi }, options);
    const components = spec.components?.schemas ?? {};
    for (const id of Object.keys(components)) {
      const key = `#/components/schemas/${id}`;
      Object.defineProperty(ajv.schemas, key, {
        configurable: true,
        enumerable: true,
        get() {
          delete ajv.schemas[key];
          ajv.addSchema(components[id]!, key);
          return ajv.schemas[key];
        },
      });
    }
    return ajv;
  });
}

/**
 * Each route's validators are compiled from a root schema that carries the whole document (`paths` and
 * `components`) so that `#/components/...` references resolve inside it, and ajv walks that root for
 * ids as it adds it: 0.1 s per compiled schema with Sequence's whole document (two per operation for
 * the request, one per response status in strict mode; measured with --cpu-prof). When every `$ref` of
 * the document names one of its components, references resolve to the component schemas ajv already
 * holds under those very keys (ajv looks up added schemas before the root), and the root's copies are
 * only read by JSON pointer, which does not need them enumerable. So for such a document the two
 * properties are kept but hidden from the walk.
 */
function compileWithoutWalkingTheDocument(): void {
  type Schema = Record<string, unknown> & { paths?: object; components?: object };
  const module = validatorRequire('./middlewares/util') as {
    useAjvCache: (ajv: unknown, schema: Schema, key: string) => unknown;
    __sequenceMockHidden?: boolean;
  };
  if (module.__sequenceMockHidden) return;
  const upstream = module.useAjvCache;
  module.useAjvCache = (ajv, schema, key) => {
    const { paths, components } = schema;
    if (paths && components) {
      if (isSelfContained({ paths, components })) {
        Object.defineProperty(schema, 'paths', { value: paths, enumerable: false, writable: true, configurable: true });
        Object.defineProperty(schema, 'components', { value: components, enumerable: false, writable: true, configurable: true });
      }
    }
    return upstream(ajv, schema, key);
  };
  module.__sequenceMockHidden = true;
}
compileWithoutWalkingTheDocument();
