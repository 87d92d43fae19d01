import { validatorRequire } from './require.js';

/**
 * The validator deep-copies the document it is given with lodash.clonedeep when it starts (and again
 * for response validation): 58 ms of a cold start with Sequence's document, where structuredClone
 * takes about 20 (measured with --cpu-prof and side by side). A document is plain data, which both
 * copy alike; anything structuredClone refuses (a function) is copied by lodash as before. The
 * validator binds the function when its modules load, so this runs first: src/http/openapi.ts
 * imports this module before the validator.
 */
export function copyDocumentsNatively(): void {
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
