// The patches to express-openapi-validator's internals (src/http/validator/, one module each): each
// keeps upstream's behaviour, checked here against the published document; docs/upstream.md gives
// what each one gains, measured by npm run bench:patches.
import { describe, expect, it, jest } from '@jest/globals';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import request from 'supertest';
import { forValidation } from '../src/engine/contract/conform.js';
import { normalise } from '../src/engine/contract/normalise.js';
import type { OpenApiDocument } from '../src/engine/contract/types.js';
import '../src/http/openapi.js';
import { appendErrorsInPlace } from '../src/http/validator/linear-errors.js';
import { indexRoutes } from '../src/http/validator/route-table.js';
import { onlyComponentRefs } from '../src/http/validator/self-contained.js';
import { spec } from './helpers.js';

const published = (): OpenApiDocument =>
  JSON.parse(readFileSync(new URL('../spec/sequence/2024-07-30.product.json', import.meta.url), 'utf8'));

describe('express-openapi-validator internals patched by src/http/validator/', () => {
  const require = createRequire(import.meta.url);
  const validatorRequire = createRequire(require.resolve('express-openapi-validator'));

  it('are those of the exact version the patches were written for (5.6.2): upgrade deliberately', () => {
    expect(validatorRequire('../package.json').version).toBe('5.6.2');
    expect(validatorRequire('./framework/openapi.schema.validator').__sequenceMockLazy).toBe(true);
    expect(validatorRequire('path-to-regexp').__sequenceMockCached).toBe(true);
    expect(validatorRequire('./middlewares/openapi.metadata').__sequenceMockTable).toBe(true);
    expect(validatorRequire('./middlewares/parsers/schema.preprocessor').__sequenceMockResolve).toBe(true);
    expect(validatorRequire('./framework/index').__sequenceMockSelfContained).toBe(true);
    expect(validatorRequire('./framework/ajv').__sequenceMockLazyAjv).toBe(true);
    expect(validatorRequire('./framework/ajv').__sequenceMockOnDemand).toBe(true);
    expect(validatorRequire('./middlewares/util').__sequenceMockHidden).toBe(true);
    expect(validatorRequire('lodash.clonedeep').__sequenceMockNative).toBe(true);
    expect(validatorRequire('./framework/ajv').__sequenceMockLinearErrors).toBe(true);
  });

  it('deep-copy the document natively: an equal, separate copy; what structuredClone refuses, as lodash did', () => {
    const clone = validatorRequire('lodash.clonedeep');
    const document = forValidation(spec) as any;
    const copy = clone(document);
    expect(copy).toEqual(document);
    expect(copy).not.toBe(document);
    expect(copy.components.schemas.Customer).not.toBe(document.components.schemas.Customer);
    const withFunction = { a: { b: [1, 2] }, f: () => 1 };
    const copied = clone(withFunction);
    expect(copied.a).toEqual({ b: [1, 2] });
    expect(copied.a).not.toBe(withFunction.a);
  });

  it('index routes so a lookup finds what the scan over every route finds, trying only a few', () => {
    const { pathToRegexp } = validatorRequire('path-to-regexp');
    // The document's routes as the validator makes them, on both base paths, plus syntax the index
    // leaves to the scan: a wildcard, two parameters in one segment, an optional group.
    const paths = [...Object.keys(spec.paths), '/files/*rest', '/reports/:from-:to', '/exports{/:format}'];
    const expressRoutes = ['/api', ''].flatMap((base) => paths.map((path) => base + path.replace(/\{([^}/]+)\}/g, ':$1')));
    for (const sensitive of [false, true]) {
      const routes = expressRoutes.map((expressRoute) => ({
        expressRoute,
        regexp: pathToRegexp(expressRoute, { sensitive }).regexp as RegExp,
      }));
      const index = indexRoutes(routes, sensitive);
      const concrete = expressRoutes.flatMap((route) => {
        const filled = route
          .replace(/:[A-Za-z_$][\w$]*/g, 'Ab1')
          .replace(/\*rest/, 'a/b')
          .replace(/\{\/Ab1\}/, '/csv');
        return [
          filled,
          `${filled}/`,
          `${filled}//`,
          filled.toUpperCase(),
          `${filled}/extra`,
          filled.replace('Ab1', 'a%2Fb'),
          filled.replace('Ab1', ''),
        ];
      });
      const crowded: string[] = [];
      for (const path of [...concrete, '/', '', '/api', '/api/', '/nothing/here', 'api/customers', '/API/CUSTOMERS/']) {
        const scanned = routes.find((route) => route.regexp.test(path));
        const candidates = index(path);
        expect([path, candidates.find((route) => route.regexp.test(path))?.expressRoute]).toEqual([path, scanned?.expressRoute]);
        // the three routes of unusual syntax are always tried; of the document's routes, a couple at most
        const usual = candidates.filter((route) => !/[*{]|-:/.test(route.expressRoute));
        if (usual.length > 2) crowded.push(`${path}: ${usual.map((route) => route.expressRoute).join(' ')}`);
      }
      expect(crowded).toEqual([]);
    }
  });

  it('are given the document without examples and documentation strings, every property kept, whatever its name', () => {
    const schema = {
      type: 'object',
      title: 'Thing',
      description: 'A thing.',
      example: { description: 'x' },
      properties: {
        description: { type: 'string', description: 'What it is.' },
        example: { type: 'integer', example: 3 },
        title: { $ref: '#/components/schemas/Title' },
      },
    };
    expect(forValidation(schema)).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, example: { type: 'integer' }, title: { $ref: '#/components/schemas/Title' } },
    });
    const document = forValidation(spec) as any;
    expect(JSON.stringify(document).length).toBeLessThan(JSON.stringify(spec).length / 3);
    expect(Object.keys(document.paths)).toEqual(Object.keys(spec.paths));
    expect(Object.keys(document.components.schemas)).toEqual(Object.keys(spec.components!.schemas!));
  });

  it('add component schemas to ajv when first looked up, under the keys upstream adds them with', () => {
    const { createRequestAjv } = validatorRequire('./framework/ajv');
    const document = forValidation(spec) as any;
    const ajv = createRequestAjv(document, { strict: false, validateSchema: false, formats: {} });
    const keys = Object.keys(document.components.schemas).map((name) => `#/components/schemas/${name}`);
    expect(Object.keys(ajv.schemas)).toEqual(expect.arrayContaining(keys));
    const added = (key: string) => Object.getOwnPropertyDescriptor(ajv.schemas, key)?.get === undefined;
    expect(keys.filter(added)).toEqual([]);
    const validate = ajv.compile({ $ref: '#/components/schemas/CreateOrUpdateCustomerRequest' });
    expect(validate({ legalName: 'x' })).toBe(false);
    expect(validate.errors.map((e: any) => e.params.missingProperty)).toEqual(expect.arrayContaining(['address']));
    expect(ajv.getSchema('#/components/schemas/Customer')?.schema).toBe(document.components.schemas.Customer);
    expect(added('#/components/schemas/Customer') && added('#/components/schemas/CreateOrUpdateCustomerRequest')).toBe(true);
    expect(keys.filter(added).length).toBeLessThan(keys.length / 4);
  });

  it('skip bundling only what json-schema-ref-parser hands back unchanged: the served document, every $ref one of its own components', async () => {
    const $RefParser = validatorRequire('@apidevtools/json-schema-ref-parser');
    const document = structuredClone(spec);
    const before = JSON.stringify(document);
    expect(onlyComponentRefs(document)).toBe(true);
    const bundled = await $RefParser.bundle(document);
    expect(bundled).toBe(document);
    expect(JSON.stringify(bundled)).toBe(before);
    expect(onlyComponentRefs({ paths: { '/x': { get: { $ref: 'other.yaml#/x' } } } })).toBe(false);
    expect(onlyComponentRefs({ components: { schemas: {} }, paths: { '/x': { $ref: '#/components/schemas/Missing' } } })).toBe(false);
  }, 60_000);

  it('may make ajv on first use: the document has no x-stoplight keys for an eager one to delete', () => {
    expect(JSON.stringify(spec)).not.toContain('x-stoplight');
  });

  it("resolve a component schema by name to the very object ajv's compile hands back, for every schema of the document", () => {
    const { SchemaPreprocessor } = validatorRequire('./middlewares/parsers/schema.preprocessor');
    const document = normalise(published()) as any;
    // The options the validator gives its preprocessor (AjvOptions.preprocessor in 5.6.2).
    const options = {
      strict: false,
      strictNumbers: true,
      strictTuples: true,
      allowUnionTypes: false,
      validateSchema: false,
      useDefaults: true,
      removeAdditional: false,
      formats: {},
      serDesMap: {},
    };
    const preprocessor = new SchemaPreprocessor(document, options, undefined);
    // Without the validator's format options ajv warns about every format it meets; irrelevant here.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const names = Object.keys(document.components.schemas);
    const differing = names.filter((name) => {
      const ref = { $ref: `#/components/schemas/${name}` };
      preprocessor.resolvedSchemaCache.clear();
      const patched = preprocessor.resolveSchema(ref);
      preprocessor.resolvedSchemaCache.clear();
      const upstream = preprocessor.ajv.getSchema(ref.$ref)?.schema;
      return patched !== upstream;
    });
    warn.mockRestore();
    expect(names.length).toBeGreaterThan(300);
    expect(differing).toEqual([]);
  }, 60_000);

  it('still validates the API document when asked to (the meta-schema is compiled on first use, not dropped)', async () => {
    const app = express();
    const broken = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/x': { get: { responses: 'not an object' } } } };
    app.use(OpenApiValidator.middleware({ apiSpec: broken as never, validateApiSpec: true }));
    app.use(((err, _req, res, _next) => void res.status(500).json({ message: err.message })) as express.ErrorRequestHandler);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await request(app).get('/x');
    error.mockRestore();
    expect([res.status, res.body.message]).toEqual([500, expect.stringContaining('args.apiDoc was invalid')]);
  });

  it("gather a referenced schema's errors by appending: the same errors, in the same order, as ajv's concat", async () => {
    const { Ajv } = await import('ajv');
    const schema = {
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/definitions/Item' } }, other: { $ref: '#/definitions/Item' } },
      definitions: {
        Item: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { $ref: '#/definitions/B' } } },
        B: { type: 'integer', minimum: 1 },
      },
    };
    const value = { items: [{}, { a: 1, b: 0 }, { a: 'x', b: 2 }, { b: 'no' }], other: { a: 2 } };
    const plain = new Ajv({ allErrors: true, inlineRefs: false }).compile(schema);
    let rewritten = 0;
    const patched = new Ajv({
      allErrors: true,
      inlineRefs: false,
      code: {
        process: (source: string) => {
          const after = appendErrorsInPlace(source);
          if (after !== source) rewritten += 1;
          return after;
        },
      },
    }).compile(schema);
    expect(plain(value)).toBe(false);
    expect(patched(value)).toBe(false);
    expect(rewritten).toBeGreaterThan(0); // the statement it rewrites is there to rewrite
    expect(patched.errors).toEqual(plain.errors);
    expect(patched({ items: [{ a: 'x', b: 1 }], other: { a: 'y', b: 3 } })).toBe(true);
  });
});
