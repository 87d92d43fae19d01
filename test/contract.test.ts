// The contract itself: openapi.yaml keeps Sequence's POST /customers as published, the generated
// types match it, and strict mode refuses to send a response that does not conform.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { CORE_SCHEMA, load } from 'js-yaml';
import openapiTS, { astToString } from 'openapi-typescript';
import { MESSAGES } from '../src/http/errors.js';
import { MOCK_SPEC_PATH, VENDOR_SPEC_PATH } from '../src/spec.js';
import { MemoryStore } from '../src/store/memory.js';
import type { CustomerRecord } from '../src/store/types.js';
import { basic, expectCustomer, expectError, makeApp, spec } from './helpers.js';

const root = new URL('../', import.meta.url);
const yaml = (path: string | URL): any => load(readFileSync(new URL(path, root), 'utf8'), { schema: CORE_SCHEMA });

describe('openapi.yaml', () => {
  const vendor = yaml('spec/sequence/create-customer.2024-07-30.yaml');
  const ours = yaml(VENDOR_SPEC_PATH);

  it("keeps Sequence's POST /customers operation exactly as published", () => {
    const { get: _added, ...published } = ours.paths['/customers'];
    expect(published).toEqual(vendor.paths['/customers']);
  });

  it("keeps every schema Sequence published, unchanged", () => {
    for (const [name, schema] of Object.entries(vendor.components.schemas)) {
      expect([name, ours.components.schemas[name]]).toEqual([name, schema]);
    }
  });

  it('marks every operation and schema it adds with the Sequence page it came from', () => {
    const page = expect.stringMatching(/^https:\/\/docs\.sequencehq\.com\/reference\/2024-07-30\/customer\/[a-z-]+$/);
    for (const [path, item] of Object.entries<any>(ours.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        if (!operation?.responses || vendor.paths[path]?.[method]) continue;
        expect([method, path, operation['x-source']]).toEqual([method, path, page]);
      }
    }
    for (const [name, schema] of Object.entries<any>(ours.components.schemas)) {
      if (!(name in vendor.components.schemas)) expect([name, schema['x-source']]).toEqual([name, page]);
    }
  });

  it('is served on both base paths with every error response described', () => {
    expect(spec.servers).toEqual([{ url: '/api' }, { url: '/' }]);
    for (const item of Object.values<any>(spec.paths)) {
      for (const operation of Object.values<any>(item)) {
        if (!operation?.responses) continue;
        expect(operation.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/MockError' });
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) >= 400) expect(Object.keys(response.content)).toEqual(['application/json']);
        }
      }
    }
  });
});

describe('src/generated', () => {
  it.each([
    ['openapi.ts', VENDOR_SPEC_PATH, true],
    ['mock.ts', MOCK_SPEC_PATH, false],
  ])('%s is what openapi-typescript makes of the spec today (run `npm run generate`)', async (file, source, defaultNonNullable) => {
    const generated = astToString(await openapiTS(source, { defaultNonNullable }));
    const committed = readFileSync(new URL(`src/generated/${file}`, root), 'utf8');
    expect(committed).toContain(generated.trim());
  });
});

describe('strict mode (response validation)', () => {
  // A store that hands back a record missing required fields, as a bug in the fake would.
  const broken = new MemoryStore();
  const partition = broken.partition('broken');
  partition.putCustomer({ id: 'bad', createdAt: '2026-01-01T00:00:00Z', legalName: 'No Address', aliases: [], contacts: [], integrationIds: [] } as unknown as CustomerRecord);

  it('answers 500 naming the non-conforming field instead of sending it', async () => {
    const { app } = makeApp({ store: broken, strict: true });
    const res = await request(app).get('/customers/bad').set('Authorization', basic('broken'));
    const body = expectError(res, 500);
    expect(body.message).toBe(MESSAGES.responseInvalid);
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
