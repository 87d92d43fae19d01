import { validatorRequire } from './require.js';

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

export function lookupRoutesFromTable(): void {
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
