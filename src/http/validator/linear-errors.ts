import { wrapAjvFactories } from './require.js';

/**
 * ajv 8 gathers the errors of a referenced schema with `vErrors = vErrors.concat(ref.errors)`: a new
 * array of every error so far, for each failing reference. With allErrors (the validator reports
 * every problem) an array of N bad items costs N^2: 8,000 empty contacts blocked the server 2.3 s
 * and 20,000 took 19 s (measured with --cpu-prof, all in ajv's generated code). ajv's `code.process`
 * hook sees each generated function's source, so that one statement is rewritten to append in place,
 * as ajv's own error handling elsewhere does (`vErrors.push(err)`, `vErrors.length = errors`). The
 * errors, their order and the result are unchanged.
 */
const CONCAT = /vErrors = vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\);/g;
const APPEND =
  'vErrors = vErrors === null ? $1 : (function (a, b) { for (let i = 0; i < b.length; i++) a.push(b[i]); return a; })(vErrors, $1);';

export const appendErrorsInPlace = (source: string): string => source.replace(CONCAT, APPEND);

export function gatherErrorsLinearly(): void {
  type Options = { code?: { process?: (source: string) => string } & Record<string, unknown> } & Record<string, unknown>;
  type Factory = (spec: unknown, options?: unknown) => object;
  wrapAjvFactories<Factory>('__sequenceMockLinearErrors', (make) => (spec, given) => {
    const options = (given ?? {}) as Options;
    const before = options.code?.process;
    const process = (source: string) => appendErrorsInPlace(before ? before(source) : source);
    return make(spec, { ...options, code: { ...options.code, process } });
  });
}
