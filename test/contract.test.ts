// The contract itself: openapi.yaml is the served cut of Sequence's published document, unedited;
// the published document loads once normalised; the seed page's example still works; the generated
// types match; and strict mode refuses to send a response that does not conform.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { CORE_SCHEMA, load } from 'js-yaml';
import openapiTS, { astToString } from 'openapi-typescript';
import { createHash } from 'node:crypto';
import express from 'express';
import { normalise } from '../src/engine/contract/normalise.js';
import { operationsOf, servedDocument, servedYaml, type ContractSource } from '../src/engine/contract/served.js';
import { TYPED_TAGS } from '../src/resources/registry.js';
import type { OpenApiDocument } from '../src/engine/contract/types.js';
import { MESSAGES } from '../src/http/errors.js';
import { specValidator } from '../src/http/openapi.js';
import {
  buildSpec,
  currentCopy,
  loadSpec,
  MOCK_SPEC_PATH,
  PARSED_SPEC_PATH,
  specSources,
  statSignature,
  VENDOR_SPEC_PATH,
} from '../src/engine/contract/spec.js';
import { MemoryStore } from '../src/engine/store/memory.js';
import { named } from '../src/engine/store/types.js';
import { basic, expectCustomer, expectError, makeApp, seedSchemaErrors, spec } from './helpers.js';

const root = new URL('../', import.meta.url);
const yaml = (path: string | URL): any => load(readFileSync(new URL(path, root), 'utf8'), { schema: CORE_SCHEMA });

const published = (): OpenApiDocument => JSON.parse(readFileSync(new URL('spec/sequence/2024-07-30.product.json', root), 'utf8'));
const source: ContractSource = JSON.parse(readFileSync(new URL('spec/sequence/source.json', root), 'utf8'));

describe('openapi.yaml', () => {
  it("is Sequence's published document, as shipped, in YAML (run `npm run spec:update` after changing either)", () => {
    expect(readFileSync(VENDOR_SPEC_PATH, 'utf8')).toBe(servedYaml(published(), source));
  });

  it('is served from the copy `npm run build` made, which is the document made from the files today', () => {
    const copy = JSON.parse(readFileSync(PARSED_SPEC_PATH, 'utf8'));
    expect(copy.sources).toBe(specSources());
    expect(copy.files).toBe(statSignature([VENDOR_SPEC_PATH, MOCK_SPEC_PATH]));
    expect(loadSpec()).toEqual(buildSpec());
  });

  it('is served from the build-time copy only while its files are those it was made from', () => {
    const document = { openapi: '3.0.3' } as unknown as OpenApiDocument;
    const copy = { sources: 'sha-then', files: '10:1 20:2', document };
    // untouched since the build (sizes and times): no hashing needed
    expect(currentCopy(copy, '10:1 20:2', () => 'sha-now')).toBe(document);
    // touched but the same text (a fresh clone): the hash decides
    expect(currentCopy(copy, '10:5 20:6', () => 'sha-then')).toBe(document);
    // edited: made from the files instead
    expect(currentCopy(copy, '11:5 20:2', () => 'sha-now')).toBeUndefined();
    expect(currentCopy({ sources: 'sha-then' }, '10:1 20:2', () => 'sha-then')).toBeUndefined();
  });

  it('names the copy it was cut from, and that copy is unchanged since (sha256 in spec/sequence/source.json)', () => {
    const bytes = readFileSync(new URL(`spec/sequence/${source.path}`, root));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(source.sha256);
    expect(source).toMatchObject({ repository: 'https://github.com/SequenceHQ/openapi-schema', path: '2024-07-30.product.json' });
  });

  it('holds every operation of the published document (test/operations.test.ts walks each one)', () => {
    const served = operationsOf(yaml(VENDOR_SPEC_PATH))
      .map((o) => o.operationId)
      .sort();
    expect(served).toEqual(
      operationsOf(published())
        .map((o) => o.operationId)
        .sort(),
    );
    expect(served).toHaveLength(173);
  });

  it('is served on both base paths with every error response described', () => {
    expect(spec.servers).toEqual([{ url: '/api' }, { url: '/' }]);
    for (const item of Object.values<any>(spec.paths)) {
      for (const operation of Object.values<any>(item)) {
        if (!operation?.responses) continue;
        expect(operation.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) >= 400) expect(Object.keys(response.content)).toEqual(['application/json']);
        }
      }
    }
  });
});

describe('the published document as a whole (src/contract/normalise.ts)', () => {
  // Loaded by express-openapi-validator exactly as the fake loads its cut: a request to an operation
  // with `nullable` beside `$ref` (tax registrations) is validated, not answered 500.
  const serve = (document: OpenApiDocument) => {
    const app = express();
    app.use(express.json());
    app.use(specValidator({ ...document, servers: [{ url: '/api' }] }, { validateResponses: false }));
    app.post('/api/tax-registrations', (_req, res) => void res.status(201).json({}));
    app.use(((err, _req, res, _next) => void res.status(err.status ?? 500).json({ message: err.message })) as express.ErrorRequestHandler);
    return app;
  };
  const body = { customerId: 'c', taxIdentifier: 'GB123', country: 'GB', state: null };

  it('is refused by the validator as published (the reason normalise exists)', async () => {
    const res = await request(serve(published())).post('/api/tax-registrations').set('Authorization', 'Basic eDp5').send(body);
    expect([res.status, res.body.message]).toEqual([500, expect.stringContaining('"nullable" cannot be used without "type"')]);
  }, 30_000);

  it('is served once normalised: nullable-beside-$ref accepts null and still checks the referenced schema', async () => {
    const app = serve(normalise(published()));
    const ok = await request(app).post('/api/tax-registrations').set('Authorization', 'Basic eDp5').send(body);
    const bad = await request(app)
      .post('/api/tax-registrations')
      .set('Authorization', 'Basic eDp5')
      .send({ ...body, state: 'NOT-A-STATE' });
    expect([ok.status, bad.status, bad.body.message]).toEqual([201, 400, expect.stringContaining('state')]);
  }, 30_000);

  it("reads Role's enum of JSON strings on an object as documentation: the documented users conform", () => {
    const role = (normalise(published()).components!.schemas as any).Role;
    expect(role.type).toBe('object');
    expect(role.enum).toBeUndefined();
    expect((published().components!.schemas as any).Role.enum.length).toBeGreaterThan(0);
  });

  it("reads usage metrics' propertyFilters values as any JSON value, as every example of them is an array", () => {
    const schemas = normalise(published()).components!.schemas as any;
    expect(schemas.CreateUsageMetricEndpointCreateUsageMetricRequestModel.properties.propertyFilters.additionalProperties).toEqual({});
    expect(
      (published().components!.schemas as any).CreateUsageMetricEndpointCreateUsageMetricRequestModel.properties.propertyFilters
        .additionalProperties,
    ).toEqual({
      type: 'object',
    });
  });

  it('gets HEAD beside every GET, and unencoded reserved characters allowed in every query', () => {
    const document = normalise(published());
    for (const item of Object.values<any>(document.paths)) {
      if (item.get) expect(item.head?.responses).toBe(item.get.responses);
      for (const method of ['get', 'put', 'post', 'delete']) {
        for (const parameter of item[method]?.parameters ?? []) if (parameter.in === 'query') expect(parameter.allowReserved).toBe(true);
      }
    }
  });
});

describe('the seed page (spec/seed/, the POST /customers page the project started from)', () => {
  const seed = yaml('spec/seed/create-customer.openapi.yaml');
  const { app } = makeApp();

  it('has its request example answered 201 with a Customer of both the seed and the published schemas', async () => {
    const example = seed.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value;
    const customer = expectCustomer(await request(app).post('/api/customers').set('Authorization', basic('seed-page')).send(example), 201);
    expect(seedSchemaErrors('Customer', customer)).toBe('');
    expect(customer).toMatchObject({ legalName: 'John Doe', address: example.address, customProperties: example.customProperties ?? {} });
  });
});

describe('src/generated', () => {
  it.each([
    ['openapi.ts', () => servedDocument(published(), TYPED_TAGS), true],
    ['mock.ts', () => MOCK_SPEC_PATH, false],
  ])('%s is what openapi-typescript makes of the spec today (run `npm run generate`)', async (file, source, defaultNonNullable) => {
    const generated = astToString(await openapiTS(source() as Parameters<typeof openapiTS>[0], { defaultNonNullable }));
    const committed = readFileSync(new URL(`src/generated/${file}`, root), 'utf8');
    expect(committed).toContain(generated.trim());
  });
});

describe('strict mode (response validation)', () => {
  // A store that hands back a record missing required fields, as a bug in the fake would.
  const broken = new MemoryStore();
  const partition = broken.partition('broken');
  partition.put(named('/customers'), { id: 'bad', createdAt: '2026-01-01T00:00:00Z', legalName: 'No Address', integrationIds: [] });

  it('answers 500 naming the non-conforming field instead of sending it', async () => {
    const { app } = makeApp({ store: broken, strict: true });
    const res = await request(app).get('/customers/bad').set('Authorization', basic('broken'));
    const body = expectError(res, 500);
    expect(body).toMatchObject({ type: 'InternalServerError', message: MESSAGES.responseInvalid });
    expect(body.errors.map((e: any) => e.path)).toContain('/response/address');
  });

  it('sends it as it is when strict is off (the default for npm start)', async () => {
    const { app } = makeApp({ store: broken, strict: false });
    const res = await request(app).get('/customers/bad').set('Authorization', basic('broken'));
    expect(res.status).toBe(200);
    expect(res.body.legalName).toBe('No Address');
  });

  it('validates error bodies too, and they conform (no 500 for a JSON 401/404)', async () => {
    const { app } = makeApp({ strict: true });
    expectError(await request(app).get('/customers/none').set('Authorization', basic('x')), 404);
    expectError(await request(app).get('/customers/none').set('Authorization', basic('x')).set('Prefer', 'code=401'), 401);
    expectCustomer(await request(app).get('/customers/50af5191-05a3-42a5-802a-6b59091157af').set('Authorization', basic('x')), 200);
  });
});
