// Shared by the HTTP tests: an in-process app (strict, so every response after the validator is
// checked against the spec by the app itself), credentials, and a schema check for the responses
// sent before the validator (auth, body parsing) and for everything the tests read.
import { expect } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Response } from 'supertest';
import { Journal } from '../src/tools/admin/journal.js';
import { Admin } from '../src/tools/admin/service.js';
import { createApp } from '../src/app.js';
import { FaultRules } from '../src/http/faults.js';
import type { Config } from '../src/config.js';
import { loadFixtures } from '../src/tools/admin/fixtures.js';
import { loadSpec } from '../src/engine/contract/spec.js';
import { MemoryStore } from '../src/engine/store/memory.js';
import type { Store } from '../src/engine/store/types.js';

export const spec = loadSpec();

export function makeApp(
  options: {
    fixtures?: boolean;
    credentials?: Config['credentials'];
    store?: Store;
    strict?: boolean;
    adminToken?: string;
    journalSize?: number;
  } = {},
) {
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
ajv.addSchema({ components: spec.components }, 'spec');
function schemaErrors(schema: string, body: unknown): string {
  const validate = ajv.getSchema(`spec#/components/schemas/${schema}`)!;
  return validate(body) ? '' : ajv.errorsText(validate.errors);
}

// The seed page (spec/seed/, a copy of shared/seed/) is where the project started: every Customer the
// fake answers must still conform to its schemas as well as to the published document's.
const seed = load(readFileSync(new URL('../spec/seed/create-customer.openapi.yaml', import.meta.url), 'utf8'), { schema: CORE_SCHEMA }) as {
  components: object;
};
ajv.addSchema({ components: seed.components }, 'seed');
export function seedSchemaErrors(schema: string, body: unknown): string {
  const validate = ajv.getSchema(`seed#/components/schemas/${schema}`)!;
  return validate(body) ? '' : ajv.errorsText(validate.errors);
}

/** A Customer of the published document (and of the seed page), with Sequence's version header. */
export function expectCustomer(res: Response, status = 201): Record<string, any> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['sequence-version']).toBe('2024-07-30');
  expect(schemaErrors('Customer', res.body)).toBe('');
  expect(seedSchemaErrors('Customer', res.body)).toBe('');
  return res.body;
}

/**
 * Asserts Sequence's error envelope ({"error": {"type", "message", ...}}, conforming to spec/mock.yaml)
 * with the version header, naming `path` when given. Returns the inner `error` object.
 */
export function expectError(res: Response, status: number, path?: string): Record<string, any> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['sequence-version']).toBe('2024-07-30');
  // An operation that documents its own error body listing the problems at the top level
  // (`{"errors": [...]}`, the notification policies' DatabaseErrors) gets that list beside the envelope.
  const { errors: listed, ...envelope } = res.body;
  if (listed !== undefined) expect(listed).toEqual(res.body.error.errors);
  expect(schemaErrors('ErrorResponse', envelope)).toBe('');
  expect(Object.keys(envelope)).toEqual(['error']);
  expect(res.body.error.type).toMatch(/^[A-Z][A-Za-z]+$/);
  expect(res.body.error.requestId).toBe(res.headers['request-id']);
  if (path !== undefined) expect(res.body.error.errors.map((e: { path: string }) => e.path)).toContain(path);
  return res.body.error;
}

export const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
