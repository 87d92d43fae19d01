// How the patches reach express-openapi-validator 5.6.2's internals: its own copies of its modules,
// and the two ajv factories two patches wrap. The version is pinned exactly; a test fails on any
// other (test/contract.test.ts), since every patch reaches into files the package does not export.
import { createRequire } from 'node:module';

/** Loads modules as express-openapi-validator itself resolves them, so a patch reaches the copies it uses. */
export const validatorRequire = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));

/**
 * Wraps both of the validator's ajv factories (request and response) once, marking the module with
 * `flag` so the patch is applied only once however often this module is loaded.
 */
export function wrapAjvFactories<F extends (spec: never, options?: unknown) => object>(flag: string, wrap: (make: F) => F): void {
  const module = validatorRequire('./framework/ajv') as Record<string, unknown> & { createRequestAjv: F; createResponseAjv: F };
  if (module[flag]) return;
  module.createRequestAjv = wrap(module.createRequestAjv);
  module.createResponseAjv = wrap(module.createResponseAjv);
  module[flag] = true;
}
