// --upstream and --record without a network: the proxy in front of a stub that records what it was
// sent and answers chosen bytes, and in front of another sequence-mock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { start, type RunningServer } from '../src/server.js';
import { runCli } from './process.js';

const SECRET = 'proxy-very-secret';
const AUTH = `Basic ${Buffer.from(`proxy-client:${SECRET}`).toString('base64')}`;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

/** A server that keeps every request it gets and answers with what the test set. */
class Stub {
  seen: Seen[] = [];
  answer: (req: Seen, res: ServerResponse) => void = (_req, res) => res.end();
  private server!: Server;
  url = '';

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
        this.seen.push(seen);
        this.answer(seen, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<unknown> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

const CUSTOMER = {
  id: '3f1c2b9e-8a1d-4c7e-9b5a-2d6f0e1a4c8b',
  createdAt: '2026-11-26T05:13:25.603Z',
  organizations: [],
  legalName: 'Acme Ltd',
  address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  integrationIds: [],
  taxStatus: 'TAXED',
  contacts: [],
  status: 'ACTIVE',
  customProperties: {},
};
const CREATE = { legalName: 'Acme Ltd', address: CUSTOMER.address, taxStatus: 'TAXED', contacts: [] };

let stub: Stub;
let decoy: Stub;
let proxy: RunningServer;

beforeAll(async () => {
  stub = await new Stub().listen();
  decoy = await new Stub().listen();
  proxy = await start({ port: 0, logLevel: 'silent', upstream: `${stub.url}/sandbox/api` });
});
afterAll(async () => {
  await proxy.close();
  await stub.close();
  await decoy.close();
});
afterEach(() => {
  stub.seen = [];
  proxy.admin.divergences.clear();
});

describe('the validating proxy', () => {
  it('starts without sending the upstream anything (no warm-up requests)', () => {
    expect(stub.seen).toEqual([]);
  });

  it('forwards method, path, query, headers and body bytes as sent, to the upstream base path', async () => {
    stub.answer = (_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'Sequence-Version': '2024-07-30', 'Request-Id': 'up-1' });
      res.end(JSON.stringify(CUSTOMER));
    };
    // Odd spacing and key order: only byte-for-byte forwarding keeps them.
    const body = `{ "taxStatus":"TAXED",  "legalName":"Acme Ltd","address":${JSON.stringify(CUSTOMER.address)},"contacts":[ ] }\n`;
    const res = await fetch(`${proxy.url}/api/customers?x=1&y=%20z`, {
      method: 'POST',
      headers: {
        Authorization: AUTH,
        'Content-Type': 'application/json',
        'Sequence-Version': '2024-07-30',
        'X-Custom': 'kept',
        'X-Sequence-Mock-Dashboard': '1',
      },
      body,
    });
    expect(res.status).toBe(201);
    expect(stub.seen).toHaveLength(1);
    const [sent] = stub.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/sandbox/api/customers?x=1&y=%20z');
    expect(sent!.body.toString('utf8')).toBe(body);
    expect(sent!.headers).toMatchObject({
      authorization: AUTH,
      'content-type': 'application/json',
      'sequence-version': '2024-07-30',
      'x-custom': 'kept',
      'content-length': String(Buffer.byteLength(body)),
      host: new URL(stub.url).host,
    });
    // sequence-mock's own headers stop here.
    expect(Object.keys(sent!.headers).filter((h) => h.startsWith('x-sequence-mock-'))).toEqual([]);
    expect(res.headers.get('sequence-mock-divergences')).toBeNull();
  });

  it('answers with the upstream status, headers and body bytes unchanged, gzip included', async () => {
    const text = '{"id" : "not-a-customer",\n "weird":   true}';
    const zipped = gzipSync(Buffer.from(text));
    stub.answer = (_req, res) => {
      res.writeHead(200, 'Fine Thanks', [
        'Content-Type',
        'application/json',
        'Content-Encoding',
        'gzip',
        'Sequence-Version',
        '2024-07-30',
        'Request-Id',
        'upstream-request-id',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'X-Upstream',
        'yes',
      ]);
      res.end(zipped);
    };
    const raw = await new Promise<{ status: number; message: string; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const req = request(`${proxy.url}/customers/${CUSTOMER.id}`, { headers: { Authorization: AUTH } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, message: res.statusMessage!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect([raw.status, raw.message]).toEqual([200, 'Fine Thanks']);
    expect(raw.body.equals(zipped)).toBe(true);
    expect(raw.headers).toMatchObject({
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'sequence-version': '2024-07-30',
      'request-id': 'upstream-request-id',
      'set-cookie': ['a=1', 'b=2'],
      'x-upstream': 'yes',
    });
    // The answer is not a Customer: the proxy says so, decoding the gzip to check it, but changes nothing.
    expect(raw.headers['sequence-mock-divergences']).toContain('response /body/createdAt');
    const summary = (await (await fetch(`${proxy.url}/__admin/divergences`)).json()) as { items: { path: string; side: string }[] };
    expect(summary.items).toContainEqual(expect.objectContaining({ side: 'response', path: '/body/legalName' }));
  });

  it('reports divergences on both sides: the header, the journal, GET /__admin/divergences', async () => {
    stub.answer = (_req, res) => {
      // Another envelope, no Sequence-Version: two faults of the upstream's answer.
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"message":"bad"}');
    };
    const res = await fetch(`${proxy.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ legalName: 'No tax status', address: CUSTOMER.address, contacts: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"message":"bad"}');
    // Another envelope than the document's ErrorResponse is a divergence of the answer's body too.
    expect(res.headers.get('sequence-mock-divergences')).toBe(
      'request /body/taxStatus, response /headers/sequence-version, response /body/error, response /body',
    );
    const [entry] = (await (await fetch(`${proxy.url}/__admin/requests?limit=1`)).json()).items;
    expect(entry).toMatchObject({ method: 'POST', status: 400, partition: 'proxy-client' });
    expect(entry.divergences).toEqual([
      { side: 'request', path: '/body/taxStatus', message: "must have required property 'taxStatus'" },
      { side: 'response', path: '/headers/sequence-version', message: 'is missing: every response of the API carries it' },
      { side: 'response', path: '/body/error', message: "must have required property 'error'" },
      { side: 'response', path: '/body', message: expect.stringMatching(/additional properties/) },
    ]);
    // The same again: counted, not listed twice.
    await fetch(`${proxy.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const summary = await (await fetch(`${proxy.url}/__admin/divergences`)).json();
    expect(summary).toMatchObject({ requests: 2, diverging: 2, dropped: 0 });
    expect(summary.items).toContainEqual(
      expect.objectContaining({ operation: 'POST /customers', side: 'response', path: '/headers/sequence-version', count: 2 }),
    );
    expect(summary.items).toContainEqual(
      expect.objectContaining({ operation: 'POST /customers', side: 'request', path: '/body/taxStatus', count: 2 }),
    );
    expect((await fetch(`${proxy.url}/__admin/divergences`, { method: 'DELETE' })).status).toBe(204);
    expect((await (await fetch(`${proxy.url}/__admin/divergences`)).json()).items).toEqual([]);
  });

  it("checks a request naming an older version against that version's document, both ways", async () => {
    // A 2024-05-09 customer: email and billingEmails, no contacts; its answer in that version's shape
    // (which requires integrationIds: its answer is checked by its own document, too).
    const answered = { id: CUSTOMER.id, createdAt: CUSTOMER.createdAt, legalName: 'Acme Ltd', address: CUSTOMER.address };
    stub.answer = (_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'Sequence-Version': '2024-05-09' });
      res.end(JSON.stringify({ ...answered, email: 'a@acme.example', billingEmails: [], integrationIds: [], taxStatus: 'TAXED' }));
    };
    const sent = { legalName: 'Acme Ltd', address: CUSTOMER.address, taxStatus: 'TAXED', email: 'a@acme.example', billingEmails: [] };
    const res = await fetch(`${proxy.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', 'Sequence-Version': '2024-05-09' },
      body: JSON.stringify(sent),
    });
    expect(res.status).toBe(201);
    // Valid in 2024-05-09 both ways: nothing diverges (under 2024-07-30 the request would lack contacts).
    expect(res.headers.get('sequence-mock-divergences')).toBeNull();
    const current = await fetch(`${proxy.url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(sent),
    });
    expect(current.headers.get('sequence-mock-divergences')).toContain('request /body/contacts');
  });

  it('passes any status back, and reports a request the document has no operation for', async () => {
    stub.answer = (_req, res) => {
      res.writeHead(418, { 'Content-Type': 'text/plain', 'Sequence-Version': '2024-07-30' });
      res.end('teapot');
    };
    const res = await fetch(`${proxy.url}/api/customers/${CUSTOMER.id}/archive`, { method: 'POST', headers: { Authorization: AUTH } });
    expect([res.status, await res.text()]).toEqual([418, 'teapot']);
    // POST /customers/{id}/archive documents a default answer: a 418 is allowed by it. The path with no operation is not.
    const unknown = await fetch(`${proxy.url}/api/no-such-thing`, { headers: { Authorization: AUTH } });
    expect(unknown.status).toBe(418);
    expect(unknown.headers.get('sequence-mock-divergences')).toBe('request /no-such-thing');
  });

  it('sends the credentials to the upstream only: a redirect is passed back, not followed', async () => {
    stub.answer = (_req, res) => {
      res.writeHead(302, { Location: `${decoy.url}/steal`, 'Sequence-Version': '2024-07-30' });
      res.end();
    };
    const res = await fetch(`${proxy.url}/api/customers`, { headers: { Authorization: AUTH }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${decoy.url}/steal`);
    expect(stub.seen.map((s) => s.headers.authorization)).toEqual([AUTH]);
    expect(decoy.seen).toEqual([]);
    // Admin calls are answered here, never forwarded.
    expect((await fetch(`${proxy.url}/__admin/requests`, { headers: { Authorization: AUTH } })).status).toBe(200);
    expect(stub.seen).toHaveLength(1);
  });

  it('logs each divergence at warn, naming the client id and never the credentials', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const logged = await start({ port: 0, logger, upstream: stub.url });
    try {
      stub.answer = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      };
      await (await fetch(`${logged.url}/customers/${CUSTOMER.id}`, { headers: { Authorization: AUTH } })).arrayBuffer();
    } finally {
      await logged.close();
    }
    const warning = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'divergence from the document');
    expect(warning).toMatchObject({ level: 40, operation: 'GET /customers/{id}', status: 200 });
    expect(warning.divergences).toContainEqual({ side: 'response', path: '/headers/sequence-version', message: expect.any(String) });
    expect(lines.find((line) => line.includes('request completed'))).toContain('"clientId":"proxy-client"');
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toContain(AUTH.slice('Basic '.length));
  });

  it('answers 502 in the envelope when the upstream does not answer', async () => {
    const gone = await new Stub().listen();
    await gone.close();
    const lonely = await start({ port: 0, logLevel: 'silent', upstream: gone.url });
    try {
      const res = await fetch(`${lonely.url}/api/customers`, { headers: { Authorization: AUTH } });
      expect(res.status).toBe(502);
      const body = await res.json();
      expect(body.error).toMatchObject({ type: 'UpstreamUnavailable', message: expect.stringContaining('ECONNREFUSED') });
      expect(res.headers.get('sequence-version')).toBe('2024-07-30');
    } finally {
      await lonely.close();
    }
  });
});

describe('the proxy in front of another sequence-mock', () => {
  let upstream: RunningServer;
  let dir: string;
  beforeAll(async () => {
    upstream = await start({ port: 0, logLevel: 'silent' });
    dir = mkdtempSync(join(tmpdir(), 'sequence-mock-record-'));
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing wrong with the fake, and a recorded session replays: the same GETs, the same answers', async () => {
    const file = join(dir, 'recorded.json');
    const recording = await start({ port: 0, logLevel: 'silent', upstream: `${upstream.url}/api`, record: file });
    const call = async (server: RunningServer, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api${path}`, {
        method,
        headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const parent = (await call(recording, 'POST', '/customers', { ...CREATE, legalName: 'Recorded parent' })).body;
    const child = (
      await call(recording, 'POST', '/customers', {
        ...CREATE,
        legalName: 'Recorded child',
        parentId: parent.id,
        contacts: [{ name: 'Ann', email: 'ann@example.com', billingPreference: 'PRIMARY' }],
      })
    ).body;
    await call(recording, 'POST', `/customers/${child.id}/contacts`, { name: 'Bob', email: 'bob@example.com', billingPreference: 'NONE' });
    await call(recording, 'POST', '/customer-aliases', { customerId: child.id, value: 'recorded-alias', label: 'CRM ID' });
    const event = await call(recording, 'POST', '/usage-events', {
      eventType: 'api_call',
      customerAlias: 'recorded-alias',
      eventProperties: { count: 1 },
    });
    const gets = [
      `/customers/${parent.id}`,
      `/customers/${child.id}`,
      `/customers/${child.id}/contacts`,
      `/customers/${child.id}/aliases`,
      '/customer-aliases?value=recorded-alias',
      '/customers/by-alias/recorded-alias',
      `/customers?${new URLSearchParams({ legalName: 'Recorded child' }).toString()}`,
      '/usage-events',
    ];
    const seen = [];
    for (const path of gets) seen.push(await call(recording, 'GET', path));
    expect(seen.map((s) => s.status)).toEqual(gets.map(() => 200));
    expect(event.status).toBe(201);
    const summary = await (await fetch(`${recording.url}/__admin/divergences`)).json();
    expect(summary).toMatchObject({ requests: gets.length + 5, diverging: 0, items: [] });
    await recording.close();

    const replay = await start({ port: 0, logLevel: 'silent', dataFile: file, fixtures: false });
    try {
      for (const [i, path] of gets.entries()) expect({ path, ...(await call(replay, 'GET', path)) }).toEqual({ path, ...seen[i] });
    } finally {
      await replay.close();
    }
  });

  it('refuses --record without --upstream, and --upstream with --data', async () => {
    const record = await runCli(['--record', join(dir, 'x.json')]);
    expect([record.code, record.out]).toEqual([2, expect.stringContaining('--record needs --upstream')]);
    const both = await runCli(['--upstream', 'http://127.0.0.1:9/api', '--data', join(dir, 'y.json')]);
    expect([both.code, both.out]).toEqual([2, expect.stringContaining('use one')]);
    const bad = await runCli(['--upstream', 'ftp://example.com']);
    expect([bad.code, bad.out]).toEqual([2, expect.stringContaining('--upstream must be an http or https URL')]);
  });
});
