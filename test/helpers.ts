// Shared by the HTTP tests: an in-process app (strict, so every response after the validator is
// checked against the spec by the app itself), credentials, and a schema check for the responses
// sent before the validator (auth, body parsing) and for everything the tests read.
import { expect } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { Journal } from '../src/admin/journal.js';
import { Admin } from '../src/admin/service.js';
import { createApp } from '../src/app.js';
import { FaultRules } from '../src/http/faults.js';
import type { Config } from '../src/config.js';
import { loadFixtures } from '../src/fixtures/documented.js';
import { loadSpec } from '../src/spec.js';
import { MemoryStore } from '../src/store/memory.js';
import type { Store } from '../src/store/types.js';

export const spec = loadSpec();

export function makeApp(options: { fixtures?: boolean; credentials?: Config['credentials']; store?: Store; strict?: boolean; adminToken?: string; journalSize?: number } = {}) {
  const fixtures = options.fixtures === false ? undefined : loadFixtures();
  const store = options.store ?? new MemoryStore(fixtures ? { initial: fixtures } : {});
  const admin = new Admin({ store, journal: new Journal(options.journalSize ?? 1000), faults: new FaultRules(), fixtures });
  const config = { strict: options.strict ?? true, credentials: options.credentials, adminToken: options.adminToken };
  const app = createApp({ config, store, admin, spec });
  return { app, store, admin };
}

export function basic(clientId: string, clientSecret = 'secret'): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** A fresh client id per call, so tests sharing an app never share a partition by accident. */
let counter = 0;
export function freshClient(): string {
  counter += 1;
  return basic(`client-${process.pid}-${counter}`);
}

/** The vendor page's request example, exactly as documented. */
export function vendorExample(): Record<string, any> {
  const operation = (spec.paths['/customers'] as any).post;
  return structuredClone(operation.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value);
}

/** A minimal valid request with no parent, for tests that vary one thing. */
export function minimalRequest(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    legalName: 'Acme Ltd',
    address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
    taxStatus: 'TAXED',
    contacts: [],
    ...overrides,
  };
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components } as object, 'spec');
function schemaErrors(schema: string, body: unknown): string {
  const validate = ajv.getSchema(`spec#/components/schemas/${schema}`)!;
  return validate(body) ? '' : ajv.errorsText(validate.errors);
}

export function expectCustomer(res: Response, status = 201): Record<string, any> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(schemaErrors('Customer', res.body)).toBe('');
  return res.body;
}

/** Asserts the one error envelope, conforming to spec/mock.yaml, naming `path` when given. */
export function expectError(res: Response, status: number, path?: string): Record<string, any> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(schemaErrors('MockError', res.body)).toBe('');
  expect(res.body.status).toBe(status);
  expect(res.body.requestId).toBe(res.headers['request-id']);
  if (path !== undefined) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  return res.body;
}

export const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
