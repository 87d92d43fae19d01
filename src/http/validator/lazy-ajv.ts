import { wrapAjvFactories } from './require.js';

/**
 * express-openapi-validator makes an ajv instance holding every component schema of the document for
 * the schema preprocessor, the multipart parser and (two) for the request validator, each walking all
 * of them as it is made (0.3 s each with Sequence's whole document, measured with --cpu-prof). With
 * component references resolved by name (above) the preprocessor's is never used, nor the multipart
 * parser's for a JSON API. So an instance is made on its first use: the same instance, later. (Made
 * eagerly, it would also delete `x-stoplight` keys from the document at once; Sequence's document
 * has none, checked in test/contract.test.ts.)
 */
export function makeAjvOnFirstUse(): void {
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
