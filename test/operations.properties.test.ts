// Schemathesis-style: requests generated with fast-check from the published document's own schemas
// (bodies, path parameters) for a sample of operations across every tag, sent to the fake in strict
// mode. Whatever they hold, the answer is never a 5xx (strict mode turns an answer that breaks the
// document into a 500, so this also says no answer broke it), and every 4xx is Sequence's envelope.
// Fixed seed in CI so a failure reproduces; FUZZ_RUNS and FUZZ_SEED for a longer run.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { ADMIN_PATH } from '../src/app.js';
import { describeOperations, type OperationInfo } from '../src/engine/contract/operations.js';
import { expectError, freshClient, makeApp, spec } from './helpers.js';
import { arbitraryFor } from './support/arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const vendor = { ...spec, paths: Object.fromEntries(Object.entries(spec.paths).filter(([path]) => !path.startsWith(ADMIN_PATH))) };
const operations = describeOperations(vendor);
const tags = [...new Set(operations.flatMap((o) => o.tags))].sort();

/** Per tag: its first operation that takes a body, and its first that does not. */
const sample = tags.flatMap((tag) => {
  const own = operations.filter((o) => o.tags.includes(tag));
  return [own.find((o) => o.hasBody), own.find((o) => !o.hasBody)].filter((o): o is OperationInfo => o !== undefined);
});
const bodySchema = (o: OperationInfo) =>
  ((vendor.paths[o.path] as any)[o.method].requestBody?.content?.['application/json']?.schema ?? {}) as object;
const pathParams = (o: OperationInfo) => [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

describe('generated requests across every tag (fast-check, from the document)', () => {
  const { app } = makeApp();

  it('samples every tag', () => {
    expect(new Set(sample.flatMap((o) => o.tags))).toEqual(new Set(tags));
  });

  it.each(sample.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s: never a 5xx, every 4xx in the envelope',
    async (_name, operation) => {
      const params = fc.record(
        Object.fromEntries(pathParams(operation).map((name) => [name, fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 12 }))])),
      );
      const body = operation.hasBody ? arbitraryFor(bodySchema(operation)) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(params, body, async (values, generated) => {
          const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
            encodeURIComponent((values as Record<string, string>)[name]!),
          );
          let call = (request(app) as any)[operation.method](`/api${path}`).set('Authorization', freshClient());
          if (generated !== undefined) call = call.send(generated);
          const res = await call;
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expectError(res, res.status);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    120_000,
  );
});
