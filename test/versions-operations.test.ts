// Every operation of every older API version Sequence publishes, listed from its own document (never
// by hand), in strict mode (every answer checked against that version's document by the app): each is
// routed and answered in its version, with its own example body and ids that name nothing (a 2xx, or
// the 4xx a missing record or rule gives, never a 5xx and never "no such operation"); an invalid body
// is a 400 naming /body; no credentials is a 401. The coverage per version is what the README's
// served table counts (scripts/served-table.mjs).
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { describeOperations, type OperationInfo } from '../src/engine/contract/operations.js';
import { loadVersionSpec, publishedVersions } from '../src/engine/contract/spec.js';
import { SEQUENCE_VERSION } from '../src/http/errors.js';
import { basic, makeApp } from './helpers.js';

const { app } = makeApp({ strict: true });
const older = publishedVersions().filter((version) => version !== SEQUENCE_VERSION);
const fill = (path: string) => path.replace(/\{[^}]+\}/g, () => crypto.randomUUID());
let partitions = 0;
const client = () => basic(`versions-walk-${process.pid}-${(partitions += 1)}`);

function call(version: string, auth: string | undefined, operation: OperationInfo, body?: unknown) {
  let req = (request(app) as any)[operation.method](`/api${fill(operation.path)}`).set('Sequence-Version', version);
  if (auth) req = req.set('Authorization', auth);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
  return req;
}

it('serves every version there is a document for, the current one first', () => {
  expect(publishedVersions()).toEqual([SEQUENCE_VERSION, '2024-05-09', '2024-01-01']);
});

describe.each(older)('every operation of %s', (version) => {
  const operations = describeOperations(loadVersionSpec(version));

  it('is every operation of its document', () => {
    // 2024-05-09 publishes 133 operations, 2024-01-01 143 (the files in spec/sequence/).
    expect(operations).toHaveLength(version === '2024-05-09' ? 133 : 143);
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: is answered in this version',
    async (_name, operation) => {
      const res = await call(version, client(), operation, operation.hasBody ? (operation.requestExample ?? {}) : undefined);
      expect(res.headers['sequence-version']).toBe(version);
      const named = (res.body?.error?.errors ?? []).map((e: { path: string }) => e.path);
      // A 2xx; or a record the request names is missing (404 naming it), or a rule refuses it (400 naming the field).
      if (res.status >= 300) expect([res.status, named.length > 0, res.body.error.message]).toEqual([res.status, true, expect.any(String)]);
      expect(res.status).toBeLessThan(500);
      if (res.status === 404) expect(named.every((path: string) => /^\/(path|body)\//.test(path))).toBe(true);
    },
  );

  it.each(operations.filter((o) => o.hasBody).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: an invalid body is a 400 naming /body',
    async (_name, operation) => {
      const res = await call(version, client(), operation, '"not an object"');
      expect(res.status).toBe(400);
      expect(res.body.error.errors).toContainEqual(expect.objectContaining({ path: '/body' }));
    },
  );

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: no credentials is a 401',
    async (_name, operation) => {
      const res = await call(version, undefined, operation);
      expect([res.status, res.body.error.type]).toEqual([401, 'Unauthorised']);
    },
  );
});

it("keeps each older version's document as published: its sha256 is the one spec/sequence/source.json records", async () => {
  const { readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const source = JSON.parse(readFileSync(new URL('../spec/sequence/source.json', import.meta.url), 'utf8')) as {
    versions: Record<string, { sha256: string }>;
  };
  for (const version of older) {
    const text = readFileSync(new URL(`../spec/sequence/${version}.product.json`, import.meta.url));
    expect([version, createHash('sha256').update(text).digest('hex')]).toEqual([version, source.versions[version]!.sha256]);
  }
});
