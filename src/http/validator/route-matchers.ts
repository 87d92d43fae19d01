import { validatorRequire } from './require.js';

/**
 * express-openapi-validator 5.6.2 compiles every route's path-to-regexp matcher again on every
 * request while it looks the route up (~10% of a POST's CPU, measured with --cpu-prof); upstream's
 * fix is open (cdimascio/express-openapi-validator#1217, "perf: cache route matchers"). Until it
 * ships, memoize pathToRegexp for the copy the validator loads: it is a pure function of its
 * arguments, and the validator only reads the result. The cache holds one entry per route.
 */
export function cacheRouteMatchers(): void {
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
