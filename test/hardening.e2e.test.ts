// Hostile input against the built CLI and the data file: the cases that once stopped the process,
// kept it from starting again, or held memory without bound. Real processes, real files, real sockets.
import { describe, expect, it } from '@jest/globals';
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { MAX_ARRAY_ITEMS } from '../src/engine/json-limits.js';
import { start } from '../src/server.js';
import { useDataDir } from './data-dir.js';
import { minimalRequest } from './helpers.js';
import { exited, runCli, startCli } from './process.js';

const auth = (id: string) => `Basic ${Buffer.from(`${id}:secret`).toString('base64')}`;
// A fixture customer's id: usage events name a customer of the account.
const nestedProperties = (depth: number) =>
  `{"customerAlias":"50af5191-05a3-42a5-802a-6b59091157af","eventType":"e","eventProperties":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

/** A POST sent in chunks, with no Content-Length: the body-parser path, not the fast one. */
function chunkedPost(url: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 4096) req.write(body.slice(i, i + 4096));
    req.end();
  });
}

async function healthy(url: string): Promise<void> {
  const res = await fetch(`${url}/__admin/health`);
  expect(res.status).toBe(200);
}

describe('one request cannot stop the process', () => {
  const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;

  it('a chunked body 10k deep, with credentials required, is a 400 and the server stays up', async () => {
    const { url } = await startCli([], { SEQUENCE_MOCK_CREDENTIALS: 'alice:secret' });
    const res = await chunkedPost(url, '/api/customers', deep, { authorization: auth('alice') });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.errors[0].path).toBe('/body');
    await healthy(url);
  });

  it('the same through the proxy (--upstream): forwarded, reported as not checked, and the proxy stays up', async () => {
    const upstream = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('sequence-version', '2024-07-30');
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const { url } = await startCli(['--upstream', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`]);
      const res = await chunkedPost(url, '/api/customers', deep, { authorization: auth('alice') });
      expect(res.status).toBe(200);
      await healthy(url);
      const divergences = (await (await fetch(`${url}/__admin/requests?limit=1`)).json()) as {
        items: { divergences: { message: string }[] }[];
      };
      expect(divergences.items[0]!.divergences.some((d) => /was not checked: it nests more than 64 levels/.test(d.message))).toBe(true);
    } finally {
      upstream.close();
    }
  });
});

describe('the data file', () => {
  let dir = '';
  let file = '';
  useDataDir((d, f) => {
    dir = d;
    file = f;
  });

  it('takes no usage event too deep to load again, and starts again after the deepest one it takes', async () => {
    const first = await startCli(['--data', file]);
    const refused = await fetch(`${first.url}/api/usage-events`, {
      method: 'POST',
      headers: { authorization: auth('deep'), 'content-type': 'application/json' },
      body: nestedProperties(3_800),
    });
    expect(refused.status).toBe(400);
    const taken = await fetch(`${first.url}/api/usage-events`, {
      method: 'POST',
      headers: { authorization: auth('deep'), 'content-type': 'application/json' },
      body: nestedProperties(60),
    });
    expect(taken.status).toBe(201);
    const { id } = (await taken.json()) as { id: string };
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    // One record per line, compact: the file grows with the record, not with the square of its depth.
    expect(statSync(file).size).toBeLessThan(20_000);
    const second = await startCli(['--data', file]);
    const read = await fetch(`${second.url}/api/usage-events?limit=100`, { headers: { authorization: auth('deep') } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { items: { id: string }[] }).items.map((event) => event.id)).toContain(id);
  });

  it('keeps a partition named __proto__ across a restart', async () => {
    const first = await startCli(['--data', file]);
    const made = await fetch(`${first.url}/api/customers`, {
      method: 'POST',
      headers: { authorization: auth('__proto__'), 'content-type': 'application/json' },
      body: JSON.stringify(minimalRequest({ legalName: 'Proto Ltd' })),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const second = await startCli(['--data', file]);
    expect((await fetch(`${second.url}/api/customers/${id}`, { headers: { authorization: auth('__proto__') } })).status).toBe(200);
  });

  it('drops the least recently used partition past --max-partitions, from the file too, and refuses a lower cap than it holds', async () => {
    const first = await startCli(['--data', file, '--max-partitions', '2', '--no-fixtures']);
    for (const id of ['a', 'b', 'c']) {
      const res = await fetch(`${first.url}/api/products`, {
        method: 'POST',
        headers: { authorization: auth(id), 'content-type': 'application/json' },
        body: JSON.stringify({ name: `product of ${id}`, label: id, unitLabel: 'u', taxCategoryId: 't' }),
      });
      expect(res.status).toBeLessThan(300);
    }
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { partitions: Record<string, unknown> };
    expect(Object.keys(saved.partitions).sort()).toEqual(['b', 'c']);
    const lower = await runCli(['--port', '0', '--data', file, '--max-partitions', '1']);
    expect(lower.code).toBe(1);
    expect(lower.out).toMatch(/holds 2 partitions, more than MAX_PARTITIONS \(1\)/);
  });

  it('refuses a journal line it cannot replay, naming it, and leaves the data file as it was', async () => {
    const first = await startCli(['--data', file]);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const before = readFileSync(file, 'utf8');
    writeFileSync(`${file}.journal.1`, '{"t":"rec","p":"x","k":"/customers","r":{"legalName":"no id"}}\n');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await runCli(['--port', '0', '--data', file]);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/line 1 is a "rec" line without p, k, or a record with an id/);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('follows a symlinked data file: the lock is the real file’s, and the link stays a link', async () => {
    const first = await startCli(['--data', file]);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const link = path.join(dir, 'link.json');
    symlinkSync(file, link);
    const viaLink = await startCli(['--data', link]);
    const second = await runCli(['--port', '0', '--data', file]);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/another sequence-mock .* is using/);
    viaLink.child.kill('SIGTERM');
    expect(await exited(viaLink.child)).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('stops cleanly on a SIGTERM that arrives while starting: exit 0, lock released', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./process.js');
    const child = spawn(process.execPath, [CLI, '--port', '0', '--data', file]);
    // The window that left the lock: after the lock is taken, before the server is up.
    while (!existsSync(`${file}.lock`)) await new Promise((resolve) => setTimeout(resolve, 1));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null, string | null];
    expect(code).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('memory under hostile load', () => {
  it(`holds RSS under +150 MB across 100 bodies of ${MAX_ARRAY_ITEMS} empty contacts (each a 400 with a capped list)`, async () => {
    const { child, url } = await startCli(['--log-level', 'silent']);
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
    const body = JSON.stringify({
      legalName: 'x',
      address: { line1: 'a', town: 'b', postcode: 'c', country: 'GB' },
      taxStatus: 'TAXED',
      contacts: Array.from({ length: MAX_ARRAY_ITEMS }, () => ({})),
    });
    const send = () =>
      fetch(`${url}/api/customers`, { method: 'POST', headers: { authorization: auth('load'), 'content-type': 'application/json' }, body });
    // Warmed up first: the heap grows to its working size in the first requests, whatever they hold.
    for (let i = 0; i < 10; i += 1) await (await send()).arrayBuffer();
    const before = rss();
    let largest = 0;
    for (let i = 0; i < 100; i += 1) {
      const res = await send();
      expect(res.status).toBe(400);
      largest = Math.max(largest, (await res.arrayBuffer()).byteLength);
    }
    expect(largest).toBeLessThan(64 * 1024);
    const grown = rss() - before;
    process.stdout.write(`hostile load: 100 x ${MAX_ARRAY_ITEMS} empty contacts, RSS +${grown.toFixed(0)} MB\n`);
    expect(grown).toBeLessThan(150);
  }, 120_000);
});

describe('the proxy against a hostile upstream', () => {
  async function upstream(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api` };
  }

  it('cuts off an upstream that trickles a byte at a time: a 504 within twice the timeout', async () => {
    const { server, base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
    });
    const proxy = await start({ port: 0, logLevel: 'silent', upstream: base, upstreamTimeoutMs: 1_000 });
    try {
      const started = Date.now();
      const res = await fetch(`${proxy.url}/api/customers`, { headers: { authorization: auth('p') } });
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await proxy.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('passes a gzip bomb through unread past 64 MB, and refuses an answer over 32 MB with a 502', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, ' '));
    const huge = Buffer.alloc(33 * 1024 * 1024, ' ');
    const { server, base } = await upstream((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('sequence-version', '2024-07-30');
      if (req.url!.includes('bomb')) {
        res.setHeader('content-encoding', 'gzip');
        res.end(bomb);
      } else res.end(huge);
    });
    const proxy = await start({ port: 0, logLevel: 'silent', upstream: base });
    try {
      // node:http, not fetch: fetch would inflate the bomb in this process.
      const passed = await new Promise<{ status: number; bytes: Buffer }>((resolve, reject) => {
        const req = request(`${proxy.url}/api/customers/bomb`, { headers: { authorization: auth('p') } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(passed.status).toBe(200);
      expect(passed.bytes.equals(bomb)).toBe(true); // passed on as sent
      const [entry] = proxy.requests({ limit: 1 });
      expect(entry!.divergences).toContainEqual({
        side: 'response',
        path: '/body',
        message: expect.stringMatching(/inflates to more than 67108864 bytes/),
      });
      const refused = await fetch(`${proxy.url}/api/customers/huge`, { headers: { authorization: auth('p') } });
      expect(refused.status).toBe(502);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/more than 33554432 bytes/);
    } finally {
      await proxy.close();
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);

  it('forwards no header the Connection header names, either way, and no absolute-form or dot-segment target', async () => {
    const seen: Record<string, unknown>[] = [];
    const { server, base } = await upstream((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, {
        'content-type': 'application/json',
        'sequence-version': '2024-07-30',
        connection: 'x-upstream-secret',
        'x-upstream-secret': 's',
      });
      res.end('{}');
    });
    const proxy = await start({ port: 0, logLevel: 'silent', upstream: base });
    try {
      const answer = await new Promise<{ headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          `${proxy.url}/api/customers`,
          { headers: { authorization: auth('p'), connection: 'keep-alive, x-client-secret', 'x-client-secret': 'c' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(seen[0]).not.toHaveProperty('x-client-secret');
      expect(answer.headers).not.toHaveProperty('x-upstream-secret');
      for (const target of ['http://elsewhere.example/api/customers', '/api/customers/../../admin', '/api/customers/%2e%2e/x', '*']) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: proxy.port, path: target, headers: { authorization: auth('p') } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
        expect(status).toBe(400);
      }
      expect(seen).toHaveLength(1);
    } finally {
      await proxy.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('closes the connection of a client that stops reading its answer, once it has been idle past the socket timeout', async () => {
    const size = 30 * 1024 * 1024;
    const { server, base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'sequence-version': '2024-07-30' });
      res.end(Buffer.alloc(size, ' '));
    });
    const proxy = await start({ port: 0, logLevel: 'silent', upstream: base, socketTimeoutMs: 500 });
    try {
      const { connect } = await import('node:net');
      const received = await new Promise<number>((resolve, reject) => {
        const socket = connect(proxy.port, '127.0.0.1', () => {
          socket.write(`GET /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth('p')}\r\n\r\n`);
          socket.pause(); // a client that never reads
          setTimeout(() => socket.resume(), 2_000);
        });
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
        socket.on('close', () => resolve(bytes));
        socket.on('error', reject);
      });
      expect(received).toBeLessThan(size);
      expect((await fetch(`${proxy.url}/__admin/health`)).status).toBe(200);
    } finally {
      await proxy.close();
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);
});
