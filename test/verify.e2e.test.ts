// `sequence-mock verify` without a network: against another sequence-mock it finds nothing, and against
// a stub that plants four known differences in front of one it finds exactly those four.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start, type RunningServer } from '../src/server.js';
import { compareObserved, References } from '../src/tools/verify/compare.js';
import { UNKNOWN_ID } from '../src/tools/verify/scenario.js';
import { isProduction, verify, type VerifyReport } from '../src/tools/verify/run.js';
import { Conformer } from '../src/engine/contract/conform.js';
import { runCli } from './process.js';
import { spec } from './helpers.js';

const ID = 'verify-e2e';
const SECRET = 'verify-e2e-secret';
const AUTH = `Basic ${Buffer.from(`${ID}:${SECRET}`).toString('base64')}`;

let upstream: RunningServer;
let stub: Server;
let stubUrl: string;

/**
 * Forwards to a sequence-mock and changes four answers: a field missing from the read by alias, another error envelope for an unknown id, another status for a business rule, and no
 * Sequence-Version header on one list.
 */
async function planted(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
  ) as Record<string, string>;
  const answer = await fetch(`${upstream.url}${req.url}`, { method: req.method, headers, ...(body !== '' && { body }) });
  let status = answer.status;
  let text = await answer.text();
  const out = Object.fromEntries(
    [...answer.headers].filter(
      ([k]) => !['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive'].includes(k),
    ),
  );
  const path = req.url ?? '';
  if (path.startsWith('/api/customers/by-alias/') && status === 200) {
    const { customProperties: _dropped, ...rest } = JSON.parse(text) as Record<string, unknown>;
    text = JSON.stringify(rest);
  }
  if (path === `/api/customers/${UNKNOWN_ID}`) text = JSON.stringify({ message: 'Customer not found' });
  if (req.method === 'POST' && body.includes('child of draft')) status = 422;
  if (path.startsWith('/api/customer-aliases?')) delete out['sequence-version'];
  res.writeHead(status, out);
  res.end(text);
}

beforeAll(async () => {
  upstream = await start({ port: 0, logLevel: 'silent', credentials: new Map([[ID, SECRET]]) });
  stub = createServer((req, res) => {
    planted(req, res).catch((err: unknown) => {
      res.writeHead(599);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
  await upstream.close();
});

const customersOfRun = async (report: VerifyReport) => {
  const res = await fetch(`${upstream.url}/api/customers?includeArchived=true&limit=100`, { headers: { Authorization: AUTH } });
  const { items } = (await res.json()) as { items: { legalName: string; archivedAt?: string; id: string }[] };
  const made = new Set(report.cleanup.map((c) => /customers\/([^/]+)\/archive/.exec(c.request)![1]));
  return items.filter((c) => c.legalName.includes(report.run) || made.has(c.id));
};

describe('verify against another sequence-mock', () => {
  it('runs the whole scenario, finds no difference, and archives everything it made upstream', async () => {
    const report = await verify({ upstream: `${upstream.url}/api`, clientId: ID, clientSecret: SECRET });
    expect(report.differences).toEqual([]);
    expect(report.steps).toHaveLength(37); // as README.md and docs/verify.md say
    // The scenario did what it says on both sides: creations, refusals by rule, the error cases.
    const status = (name: string) => report.steps.find((s) => s.step === name);
    expect(status('create child')).toMatchObject({ upstream: 201, fake: 201 });
    expect(status('rule: a draft cannot be a parent')).toMatchObject({ upstream: 400, fake: 400 });
    expect(status('list by email, next page')).toMatchObject({ upstream: 200, fake: 200 });
    expect(status('error: bad credentials')).toMatchObject({ upstream: 401, fake: 401 });
    expect(status('error: bad version')).toMatchObject({ upstream: 400, fake: 400 });
    // Five customers made, five archived, read back from the upstream itself.
    expect(report.cleanup.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const made = await customersOfRun(report);
    expect(made).toHaveLength(5);
    expect(made.every((c) => c.archivedAt !== undefined)).toBe(true);
  });
});

describe('verify --api-version', () => {
  it("reads the scenario's records in the version a pinned client sends, on both sides, and finds no difference", async () => {
    await fetch(`${upstream.url}/__admin/requests`, { method: 'DELETE', headers: { Authorization: AUTH } });
    const report = await verify({ upstream: `${upstream.url}/api`, clientId: ID, clientSecret: SECRET, apiVersion: '2024-05-09' });
    expect(report.differences).toEqual([]);
    // The upstream answered every read in 2024-05-09 (its journal says so), and every write with a body in the current version.
    const res = await fetch(`${upstream.url}/__admin/requests?limit=200`, { headers: { Authorization: AUTH } });
    const { items } = (await res.json()) as { items: { method: string; body?: unknown; version: string; status: number }[] };
    const ofRun = items.filter((entry) => entry.status < 300);
    expect(new Set(ofRun.filter((e) => e.method === 'GET').map((e) => e.version))).toEqual(new Set(['2024-05-09']));
    expect(new Set(ofRun.filter((e) => e.body !== undefined).map((e) => e.version))).toEqual(new Set(['2024-07-30']));
  });
});

describe('verify against a stub with planted differences', () => {
  it('reports each planted difference and nothing else', async () => {
    const report = await verify({ upstream: stubUrl, clientId: ID, clientSecret: SECRET });
    const found = report.differences.map(({ step, kind, path, upstream: u, fake }) => ({ step, kind, path, upstream: u, fake }));
    expect(found).toEqual(
      expect.arrayContaining([
        { step: 'read the example by alias', kind: 'field', path: '/body/customProperties', upstream: 'missing', fake: 'present' },
        { step: 'rule: a draft cannot be a parent', kind: 'status', path: '/status', upstream: '422', fake: '400' },
        { step: 'list aliases by value', kind: 'header', path: '/headers/sequence-version', upstream: '(none)', fake: '2024-07-30' },
        {
          step: 'error: unknown id',
          kind: 'envelope',
          path: '/body',
          upstream: '{message: string}',
          fake: expect.stringMatching(/^\{error: \{/),
        },
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('exits 1 and prints the table; --json prints the same differences', async () => {
    const env = { SEQUENCE_CLIENT_ID: ID, SEQUENCE_CLIENT_SECRET: SECRET };
    const table = await runCli(['verify', '--upstream', stubUrl], env);
    expect(table.code).toBe(1);
    expect(table.out).toMatch(/step\s+request\s+what\s+where\s+upstream\s+fake/);
    expect(table.out).toMatch(/error: unknown id\s+GET \/customers\/\{id\}\s+envelope/);
    expect(table.out).toContain('4 differences in 4 of');
    const json = await runCli(['verify', '--upstream', stubUrl, '--json'], env);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as VerifyReport;
    expect(report.differences.map((d) => d.kind).sort()).toEqual(['envelope', 'field', 'header', 'status']);
  });

  it('exits 0 against an agreeing upstream', async () => {
    const result = await runCli(['verify', '--upstream', `${upstream.url}/api`], {
      SEQUENCE_CLIENT_ID: ID,
      SEQUENCE_CLIENT_SECRET: SECRET,
    });
    expect(result.out).toContain('No differences.');
    expect(result.code).toBe(0);
  });
});

describe('verify refuses what it must not do', () => {
  it('refuses a production URL unless --allow-production, before sending anything', async () => {
    expect(isProduction(new URL('https://eu.sequencehq.com/api'))).toBe(true);
    expect(isProduction(new URL('https://sequencehq.com/api'))).toBe(true);
    expect(isProduction(new URL('https://sandbox.sequencehq.com/api'))).toBe(false);
    expect(isProduction(new URL('http://127.0.0.1:4010/api'))).toBe(false);
    const env = { SEQUENCE_CLIENT_ID: ID, SEQUENCE_CLIENT_SECRET: SECRET };
    const refused = await runCli(['verify', '--upstream', 'https://eu.sequencehq.com/api'], env);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("is Sequence's production API");
    expect(refused.out).toContain('--allow-production');
  });

  it('needs the credentials and an upstream', async () => {
    const noCredentials = await runCli(['verify', '--upstream', 'http://127.0.0.1:1/api'], {
      SEQUENCE_CLIENT_ID: '',
      SEQUENCE_CLIENT_SECRET: '',
    });
    expect([noCredentials.code, noCredentials.out]).toEqual([2, expect.stringContaining('SEQUENCE_CLIENT_ID and SEQUENCE_CLIENT_SECRET')]);
    const noUpstream = await runCli(['verify'], { SEQUENCE_CLIENT_ID: ID, SEQUENCE_CLIENT_SECRET: SECRET });
    expect([noUpstream.code, noUpstream.out]).toEqual([2, expect.stringContaining('--upstream <url> is required')]);
  });

  it('exits 1 naming the cause when the upstream does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await runCli(['verify', '--upstream', `http://127.0.0.1:${port}/api`], {
      SEQUENCE_CLIENT_ID: ID,
      SEQUENCE_CLIENT_SECRET: SECRET,
    });
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/sequence-mock verify: fetch failed \(.*ECONNREFUSED/);
  });
});

describe('compareObserved', () => {
  const conformer = new Conformer(spec);
  const context = (references: References) => ({
    step: 's',
    request: 'GET /customers/{id}',
    schema: '#/paths/~1customers~1{id}/get/responses/200/content/application~1json/schema',
    conformer,
    references,
  });
  const ok = (body: unknown) => ({ status: 200, headers: { 'sequence-version': '2024-07-30', 'content-type': 'application/json' }, body });

  it('compares ids by what they refer to, and enum values, but not generated values', () => {
    const references = new References();
    references.pair('parent', 'u-parent', 'f-parent');
    references.pair('other', 'u-other', 'f-other');
    const upstream = ok({
      id: 'u-1',
      legalName: 'A',
      createdAt: '2026-01-01T00:00:00Z',
      taxStatus: 'TAXED',
      parentRef: { id: 'u-parent' },
    });
    const fake = ok({
      id: 'f-1',
      legalName: 'B',
      createdAt: '2027-02-02T00:00:00Z',
      taxStatus: 'TAX_EXEMPT',
      parentRef: { id: 'f-other' },
    });
    expect(compareObserved(upstream, fake, context(references)).map((d) => [d.kind, d.path, d.upstream, d.fake])).toEqual([
      ['enum', '/body/taxStatus', 'TAXED', 'TAX_EXEMPT'],
      ['reference', '/body/parentRef/id', 'parent', 'other'],
    ]);
  });

  it('reports a field of another JSON type, and extra fields on either side', () => {
    const found = compareObserved(ok({ a: 1, b: 'x' }), ok({ a: '1', c: true }), context(new References()));
    expect(found.map((d) => [d.kind, d.path, d.upstream, d.fake])).toEqual([
      ['field', '/body/b', 'present', 'missing'],
      ['field', '/body/c', 'missing', 'present'],
      ['type', '/body/a', 'integer', 'string'],
    ]);
  });
});
