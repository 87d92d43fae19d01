// Hostile input, one request at a time: what once stopped the fake, filled its memory or answered a
// client's mistake with a 500. Each case is built as the attacker would send it, at the size that
// broke it, and asserts what a client sees now (status, envelope, the server still answering).
import { describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { MAX_ARRAY_ITEMS, MAX_JSON_DEPTH, depthOver, jsonDepth } from '../src/engine/json-limits.js';
import { MAX_PARTITION_RECORDS, MemoryStore } from '../src/engine/store/memory.js';
import { named } from '../src/engine/store/types.js';
import { MAX_LISTED_ERRORS } from '../src/http/errors.js';
import { FaultRules, MAX_FAULT_RULES, pathMatches } from '../src/http/faults.js';
import { IdempotencyKeys } from '../src/http/idempotency.js';
import { start } from '../src/server.js';
import { basic, freshClient, makeApp, minimalRequest } from './helpers.js';

const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('JSON nested too deep', () => {
  const { app } = makeApp();

  it('measures depth on the text, brackets inside strings not counted', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonDepth(nested(10_000))).toBe(MAX_JSON_DEPTH + 1); // stops counting past the limit
  });

  it('finds too-deep text by its brackets first, and measures only text with more brackets than the limit', () => {
    expect(depthOver(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(depthOver(nested(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH + 1);
    expect(depthOver(nested(10_000))).toBe(MAX_JSON_DEPTH + 1);
    // More brackets than the limit, but inside strings or side by side: measured, and within it.
    expect(depthOver(`{"a":"${'['.repeat(500)}"}`)).toBeUndefined();
    expect(depthOver(`[${Array.from({ length: 500 }, () => '{}').join(',')}]`)).toBeUndefined();
    // Braces and brackets are counted together: 40 of each nest 80 deep.
    expect(depthOver(`${'{"a":['.repeat(40)}${']}'.repeat(40)}`)).toBe(MAX_JSON_DEPTH + 1);
    expect(depthOver('{"a":[[1]]}', 2)).toBe(3);
  });

  it('is a 400 naming the body, at 10k deep with a Content-Length', async () => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).type('json').send(nested(10_000));
    expect(res.status).toBe(400);
    expect(res.body.error.errors[0]).toEqual({ path: '/body', message: expect.stringContaining(`at most ${MAX_JSON_DEPTH} levels`) });
  });

  it('is a 400 at the limit plus one, and the limit itself passes the parser', async () => {
    const over = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .type('json')
      .send(nested(MAX_JSON_DEPTH + 1));
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/too deeply/);
    const at = await request(app).post('/customers').set('Authorization', freshClient()).type('json').send(nested(MAX_JSON_DEPTH));
    expect(at.status).toBe(400);
    expect(at.body.error.message).toMatch(/^Request validation failed/); // the validator's turn: past the parser
  });

  it('is a 400 for a gzip body too (the general parser path), and for the admin API', async () => {
    // Over real HTTP: supertest does not send a compressed body as given.
    const server = await start({ port: 0, logLevel: 'silent' });
    try {
      const res = await fetch(`${server.url}/customers`, {
        method: 'POST',
        headers: { authorization: basic('gzip-deep'), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(nested(5_000)),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { errors: { path: string; message: string }[] } };
      expect(body.error.errors[0]).toEqual({ path: '/body', message: expect.stringMatching(/levels/) });
    } finally {
      await server.close();
    }
    const admin = await request(app).post('/__admin/faults').type('json').send(nested(5_000));
    expect(admin.status).toBe(400);
    expect(admin.body.error.errors[0].path).toBe('/body');
  });

  it('with an Idempotency-Key, 4.5k to 400k deep, on usage events, products and aliases is a 400, not a 500', async () => {
    for (const path of ['/usage-events', '/products', '/customer-aliases'])
      for (const depth of [4_500, 400_000]) {
        const res = await request(app)
          .post(path)
          .set('Authorization', freshClient())
          .set('Idempotency-Key', `k-${depth}`)
          .type('json')
          .send(nested(depth));
        expect([path, depth, res.status]).toEqual([path, depth, 400]);
        expect(res.body.error.errors[0].path).toBe('/body');
      }
  });
});

describe('bodies that do not decode', () => {
  const { app } = makeApp();
  for (const encoding of ['gzip', 'deflate', 'br'])
    it(`garbage with Content-Encoding: ${encoding} is a 400 naming the header`, async () => {
      const res = await request(app)
        .post('/customers')
        .set('Authorization', freshClient())
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send(Buffer.from('this is not compressed at all'));
      expect(res.status).toBe(400);
      expect(res.body.error.errors[0].path).toBe('/headers/content-encoding');
    });

  it('a truncated gzip body is a 400', async () => {
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(JSON.stringify(minimalRequest())).subarray(0, 20));
    expect(res.status).toBe(400);
  });
});

describe('arrays and error lists', () => {
  const { app, admin } = makeApp();

  it('20,000 empty contacts are a 400 naming the array, answered small', async () => {
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .send(minimalRequest({ contacts: Array.from({ length: 20_000 }, () => ({})) }));
    expect(res.status).toBe(400);
    expect(res.body.error.errors).toEqual([{ path: '/body/contacts', message: expect.stringContaining(`at most ${MAX_ARRAY_ITEMS}`) }]);
    expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
  });

  it(`${MAX_ARRAY_ITEMS} empty contacts list at most ${MAX_LISTED_ERRORS} problems and count the rest`, async () => {
    const client = freshClient();
    const res = await request(app)
      .post('/customers')
      .set('Authorization', client)
      .send(minimalRequest({ contacts: Array.from({ length: MAX_ARRAY_ITEMS }, () => ({})) }));
    expect(res.status).toBe(400);
    const { errors } = res.body.error;
    expect(errors).toHaveLength(MAX_LISTED_ERRORS + 1);
    // Each empty contact misses its required fields: 1,000 contacts give thousands of problems.
    expect(errors.at(-1).message).toMatch(/^and \d+ more problems not listed/);
    expect(Number(/and (\d+)/.exec(errors.at(-1).message)![1])).toBeGreaterThan(MAX_ARRAY_ITEMS);
    // The journal keeps the same short list.
    const [entry] = admin.requests({ limit: 1 });
    expect(entry!.errors).toHaveLength(MAX_LISTED_ERRORS + 1);
  });
});

describe('fault rules', () => {
  it('match paths in linear time: consecutive stars and a 34-character path answer at once', () => {
    const started = process.hrtime.bigint();
    expect(pathMatches('/customers/************x', `/customers/${'a'.repeat(34)}`)).toBe(false);
    expect(pathMatches('/customers/************x', `/customers/${'a'.repeat(5000)}`)).toBe(false);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // The regexp took ~10 s for 34 characters (x1.6 per character): 5,000 would never end.
    expect(ms).toBeLessThan(1000);
  });

  it('with consecutive stars, still answer a request that does not match at once', async () => {
    const { app } = makeApp();
    const rule = await request(app)
      .post('/__admin/faults')
      .send({ match: { path: '/customers/************x' }, respond: { code: 503 } });
    expect(rule.status).toBe(201);
    const res = await request(app)
      .get(`/customers/${'a'.repeat(34)}`)
      .set('Authorization', freshClient());
    expect(res.status).toBe(404); // not faulted: no such customer
  });

  it('keep the meaning of * (one or more characters of one segment)', () => {
    expect(pathMatches('/customers/*/contacts', '/customers/abc/contacts')).toBe(true);
    expect(pathMatches('/customers/*/contacts', '/customers//contacts')).toBe(false);
    expect(pathMatches('/customers/*', '/customers/a/b')).toBe(false);
    expect(pathMatches('/cust*rs', '/customers')).toBe(true);
    expect(pathMatches('/customers/**', '/customers/a')).toBe(false);
    expect(pathMatches('/customers/**', '/customers/ab')).toBe(true);
    expect(pathMatches('/a*b*c', '/aXbYbZc')).toBe(true);
    expect(pathMatches('/a*b*c', '/aXbYbZ')).toBe(false);
  });

  it(`are capped at ${MAX_FAULT_RULES}: the next is a 409 saying what to do`, async () => {
    const { app } = makeApp();
    const rules = new FaultRules();
    for (let i = 0; i < MAX_FAULT_RULES; i += 1) rules.add({ match: { path: `/x${i}` }, respond: { code: 500 } }, undefined);
    expect(() => rules.add({ match: {}, respond: { code: 500 } }, undefined)).toThrow(/at most 1000/);
    for (let i = 0; i < MAX_FAULT_RULES; i += 1) {
      const added = await request(app)
        .post('/__admin/faults')
        .send({ match: { path: `/x${i}` }, respond: { code: 500 } });
      expect(added.status).toBe(201);
    }
    const refused = await request(app)
      .post('/__admin/faults')
      .send({ match: {}, respond: { code: 500 } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/DELETE \/__admin\/faults/);
  });
});

describe('idempotency keys', () => {
  it('are capped by bytes: 300 answers of ~10 KB each keep at most the cap', async () => {
    const cap = 1024 * 1024;
    const keys = new IdempotencyKeys(Date.now, cap);
    // Through the real middleware: a body of ~10 KB per request, each with its own key.
    const express = (await import('express')).default;
    const wrapper = express();
    wrapper.use((req, res, next) => {
      res.locals.context = { requestId: 'r', clientId: 'c', arrived: performance.now(), after: 0 };
      Object.assign(req, { openapi: { schema: { parameters: [{ in: 'header', name: 'Idempotency-Key' }] } } });
      next();
    });
    wrapper.use(express.json());
    wrapper.use(keys.middleware());
    wrapper.post('/x', (req, res) => void res.status(201).json({ echo: req.body as unknown }));
    for (let i = 0; i < 300; i += 1) {
      const res = await request(wrapper)
        .post('/x')
        .set('Idempotency-Key', `k${i}`)
        .send({ pad: 'x'.repeat(10_000), i });
      expect(res.status).toBe(201);
    }
    expect(keys.keptBytes).toBeLessThanOrEqual(cap);
    expect(keys.keptBytes).toBeGreaterThan(cap / 2);
    // The newest key still replays; the oldest was dropped and runs again.
    const replay = await request(wrapper)
      .post('/x')
      .set('Idempotency-Key', 'k299')
      .send({ pad: 'x'.repeat(10_000), i: 299 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const rerun = await request(wrapper)
      .post('/x')
      .set('Idempotency-Key', 'k0')
      .send({ pad: 'x'.repeat(10_000), i: 0 });
    expect(rerun.headers['idempotent-replayed']).toBeUndefined();
    keys.clear();
    expect(keys.keptBytes).toBe(0);
  });
});

describe('partitions', () => {
  it('a read with a new client id makes no partition; a write does, and evicts the least recently used', async () => {
    const store = new MemoryStore({ maxPartitions: 3 });
    const { app } = makeApp({ store, fixtures: false });
    for (let i = 0; i < 50; i += 1) {
      const res = await request(app)
        .get('/customers')
        .set('Authorization', basic(`reader-${i}`));
      expect(res.status).toBe(200);
    }
    expect(store.partitionIds()).toEqual([]);
    for (const id of ['a', 'b', 'c', 'd'])
      expect((await request(app).post('/customers').set('Authorization', basic(id)).send(minimalRequest())).status).toBe(201);
    expect(store.partitionIds()).toEqual(['d', 'c', 'b']);
  });

  it('a client that has not written reads the starting data, and its first write copies it', async () => {
    const { app, store } = makeApp();
    const client = basic('fixtures-reader');
    const before = await request(app).get('/customers').set('Authorization', client);
    expect(before.body.items.length).toBeGreaterThan(0);
    expect(store instanceof MemoryStore && store.partitionIds()).toEqual([]);
    const created = await request(app).post('/customers').set('Authorization', client).send(minimalRequest());
    expect(created.status).toBe(201);
    const after = await request(app).get('/customers').set('Authorization', client);
    expect(after.body.items.length).toBe(before.body.items.length + 1);
    // Another new client still sees only the starting data.
    const other = await request(app).get('/customers').set('Authorization', basic('fixtures-reader-2'));
    expect(other.body.items.length).toBe(before.body.items.length);
  });
});

describe('records per partition', () => {
  it(`past ${MAX_PARTITION_RECORDS} a write is refused whole (507) while reads and deletes go on`, async () => {
    const store = new MemoryStore();
    const { app } = makeApp({ store, fixtures: false });
    const partition = store.partition('full');
    const products = named('/products');
    for (let i = 0; i < MAX_PARTITION_RECORDS; i += 1) partition.put(products, { id: `p${i}` });
    const refused = await request(app).post('/customers').set('Authorization', basic('full')).send(minimalRequest());
    expect(refused.status).toBe(507);
    expect(refused.body.error.message).toMatch(/POST \/__admin\/reset/);
    expect(store.partition('full').size).toBe(MAX_PARTITION_RECORDS);
    expect((await request(app).get('/products?limit=1').set('Authorization', basic('full'))).status).toBe(200);
    expect((await request(app).post('/customers').set('Authorization', basic('other')).send(minimalRequest())).status).toBe(201);
    const seeded = await request(app).post('/__admin/seed').set('Authorization', basic('full')).send({ count: 1 });
    expect(seeded.status).toBe(507);
  }, 60_000);
});

describe('lists', () => {
  it('refuse a limit over 100 on every list, generic collections included', async () => {
    const { app } = makeApp();
    const client = freshClient();
    for (const path of ['/usage-events', '/products', '/customers'])
      for (const limit of ['1000000', '101', '0']) {
        const res = await request(app).get(`${path}?limit=${limit}`).set('Authorization', client);
        expect(res.status).toBe(400);
        expect(res.body.error.errors).toEqual([{ path: '/query/limit', message: 'must be between 1 and 100 (inclusive)' }]);
      }
  });
});

describe('the admin API on a shared host', () => {
  it('with credentials and no token, acts only on the caller partition; without credentials it is refused', async () => {
    const credentials = new Map([
      ['alice', 'a-secret'],
      ['bob', 'b-secret'],
    ]);
    const { app } = makeApp({ credentials });
    expect((await request(app).post('/customers').set('Authorization', basic('alice', 'a-secret')).send(minimalRequest())).status).toBe(
      201,
    );
    expect((await request(app).post('/customers').set('Authorization', basic('bob', 'b-secret')).send(minimalRequest())).status).toBe(201);
    for (const [method, path] of [
      ['get', '/__admin/requests'],
      ['get', '/__admin/partitions'],
      ['post', '/__admin/reset'],
      ['get', '/__admin/faults'],
    ] as const) {
      const res = await request(app)[method](path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/ADMIN_TOKEN/);
    }
    const journal = await request(app).get('/__admin/requests').set('Authorization', basic('bob', 'b-secret'));
    expect(journal.status).toBe(200);
    expect(journal.body.items.every((e: { partition: string }) => e.partition === 'bob')).toBe(true);
    const partitions = await request(app).get('/__admin/partitions').set('Authorization', basic('bob', 'b-secret'));
    expect(partitions.body.items).toEqual(['bob']);
    const divergences = await request(app).get('/__admin/divergences').set('Authorization', basic('bob', 'b-secret'));
    expect(divergences.status).toBe(403);
    const wrong = await request(app).get('/__admin/requests').set('Authorization', basic('bob', 'not-bobs'));
    expect(wrong.status).toBe(401);
  });

  it('with a token, checks it before reading the body (401, not 400)', async () => {
    const { app } = makeApp({ adminToken: 't0ken' });
    const res = await request(app).post('/__admin/faults').type('json').send('{"not valid');
    expect(res.status).toBe(401);
    const ok = await request(app).get('/__admin/partitions').set('X-Admin-Token', 't0ken');
    expect(ok.status).toBe(200);
  });

  it('refuses a Host that is not local (DNS rebinding), and changes sent by another origin', async () => {
    const { app } = makeApp();
    const rebound = await request(app).get('/__admin/requests').set('Host', 'attacker.example:4010');
    expect(rebound.status).toBe(403);
    expect(rebound.body.error.errors[0].path).toBe('/headers/host');
    for (const host of ['localhost:4010', '127.0.0.1:4010', '[::1]:4010', 'sequence-mock:4010', 'app.localhost'])
      expect((await request(app).get('/__admin/health').set('Host', host)).status).toBe(200);
    const csrf = await request(app).post('/__admin/reset').set('Host', '127.0.0.1:4010').set('Origin', 'http://evil.example');
    expect(csrf.status).toBe(403);
    expect(csrf.body.error.errors[0].path).toBe('/headers/origin');
    const same = await request(app)
      .post('/__admin/reset')
      .set('Host', '127.0.0.1:4010')
      .set('Origin', 'http://127.0.0.1:4010')
      .send({ all: true });
    expect(same.status).toBe(200);
  });

  it('a client cannot hide its requests from the journal with the marker headers', async () => {
    const { app, admin } = makeApp();
    const client = basic('hider');
    await request(app).get('/customers').set('Authorization', client).set('X-Sequence-Mock-Warm-Up', '1');
    // Open server, no token: the dashboard marker is the admin's own, so it hides; with a token set it
    // would need the token too (next test).
    expect(admin.requests({ partition: 'hider' })).toHaveLength(1);
    const guarded = makeApp({ adminToken: 't' });
    await request(guarded.app).get('/customers').set('Authorization', client).set('X-Sequence-Mock-Dashboard', '1');
    expect(guarded.admin.requests({ partition: 'hider' })).toHaveLength(1);
    await request(guarded.app)
      .get('/customers')
      .set('Authorization', client)
      .set('X-Sequence-Mock-Dashboard', '1')
      .set('X-Admin-Token', 't');
    expect(guarded.admin.requests({ partition: 'hider' })).toHaveLength(1);
  });
});

describe('the HTTP server', () => {
  it('answers CONNECT with a 405 in the envelope instead of silence', async () => {
    const server = await start({ port: 0, logLevel: 'silent' });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () =>
          socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk) => (text += String(chunk)));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 405/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.message).toMatch(/not a forward proxy/);
    } finally {
      await server.close();
    }
  });
});
