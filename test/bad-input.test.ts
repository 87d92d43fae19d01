// The bad-input catalogue: every malformed, hostile or odd request gets a clear JSON 4xx naming the
// field and the reason (or, when it is valid, is stored and returned intact), and the server stays
// healthy afterwards. Some requests cannot be sent through supertest (broken HTTP, oversize
// headers, slow clients): those go over a raw socket to a started server.
// (Malformed JSON, null/array bodies, 413, 415, 404 and 405 are in validation.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import request from 'supertest';
import { start, type RunningServer } from '../src/server.js';
import { basic, expectCustomer, expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const post = (auth: string, body: string | Buffer, type = 'application/json') =>
  request(app).post('/customers').set('Authorization', auth).set('Content-Type', type).send(body);

async function healthy(): Promise<void> {
  const auth = freshClient();
  expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(minimalRequest()), 201);
}

describe('bodies', () => {
  it.each([
    ['truncated JSON', '{"legalName": "Acme", "address": {"line1": '],
    ['a lone brace', '{'],
    ['trailing garbage', '{"legalName": "Acme"} x'],
  ])('%s is 400 "not valid JSON" naming /body', async (_, body) => {
    const res = await post(freshClient(), body);
    expect(expectError(res, 400, '/body').message).toBe('Request body is not valid JSON');
    await healthy();
  });

  it.each([
    ['a number', '42'],
    ['a string', '"Acme Ltd"'],
    ['true', 'true'],
  ])('%s as the body is 400 "/body must be object"', async (_, body) => {
    const res = await post(freshClient(), body);
    expect(expectError(res, 400, '/body').errors).toContainEqual({ path: '/body', message: 'must be object' });
    await healthy();
  });

  it('takes the last of duplicate keys, as JSON.parse does', async () => {
    const body = JSON.stringify(minimalRequest()).replace('"legalName":"Acme Ltd"', '"legalName":"First","legalName":"Last"');
    expect(body).toContain('"legalName":"First","legalName":"Last"');
    expect(expectCustomer(await post(freshClient(), body)).legalName).toBe('Last');
  });

  it('answers JSON nested 10,000 levels deep with a 400 naming the body, and stays up', async () => {
    // One depth limit for every JSON the fake takes (MAX_JSON_DEPTH), checked before parsing: a
    // field the document knows or one it does not, the answer is the same.
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const body = JSON.stringify(minimalRequest()).replace('"legalName":"Acme Ltd"', `"legalName":${deep}`);
    expect(expectError(await post(freshClient(), body), 400, '/body').errors[0].message).toMatch(/at most 64 levels/);
    const unknownDeep = JSON.stringify(minimalRequest()).replace('{', `{"nested":${deep},`);
    expectError(await post(freshClient(), unknownDeep), 400, '/body');
    await healthy();
  });

  it('is not polluted by __proto__, constructor or prototype keys anywhere', async () => {
    const auth = freshClient();
    const body = `{"__proto__": {"polluted": "yes", "legalName": "Injected"},
      "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"},
      "legalName": "Safe Ltd", "taxStatus": "TAXED",
      "address": {"__proto__": {"state": "NY"}, "line1": "1 High St", "town": "London", "postcode": "EC1", "country": "GB"},
      "contacts": [{"__proto__": {"billingPreference": "PRIMARY"}, "name": "Ann", "email": "ann@example.com", "billingPreference": "NONE"}]}`;
    const created = expectCustomer(await post(auth, body));
    expect(created.legalName).toBe('Safe Ltd');
    expect(created.address).toEqual({ line1: '1 High St', town: 'London', postcode: 'EC1', country: 'GB' });
    expect(created.contacts[0].billingPreference).toBe('NONE');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const read = expectCustomer(await request(app).get(`/customers/${created.id}`).set('Authorization', auth), 200);
    expect(read).toEqual(created);
    expect(Object.keys(read)).not.toEqual(expect.arrayContaining(['__proto__', 'constructor', 'prototype', 'polluted']));
    await healthy();
  });

  it('answers a body of 1 MB + 1 byte with 413 naming /body', async () => {
    const base = JSON.stringify(minimalRequest({ label: '' }));
    const body = base.replace('"label":""', `"label":"${'x'.repeat(1024 * 1024 + 1 - base.length)}"`);
    expect(Buffer.byteLength(body)).toBe(1024 * 1024 + 1);
    expect(expectError(await post(freshClient(), body), 413, '/body').message).toBe('Request body is larger than the 1 MB limit');
    await healthy();
  });

  it('takes 10,000 contacts, and names the one bad contact among them', async () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => ({
      name: `Contact ${i}`,
      email: `c${i}@example.com`,
      billingPreference: i === 0 ? 'PRIMARY' : 'STANDARD',
    }));
    const auth = freshClient();
    const created = expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(minimalRequest({ contacts })));
    expect(created.contacts).toHaveLength(10_000);
    const bad = structuredClone(contacts);
    bad[9_999] = { name: 'No email', billingPreference: 'NONE' } as never;
    expectError(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ contacts: bad })),
      400,
      '/body/contacts/9999/email',
    );
    await healthy();
  }, 30_000);

  it.each([
    ['a NUL byte', 'Acme\u0000Ltd'],
    ['emoji', 'Rocket 🚀 Ltd 👩‍💻'],
    ['right-to-left text', 'شركة الاختبار المحدودة'],
    ['mixed directions', 'Acme \u202Eevil\u202C Ltd'],
    ['astral and combining characters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Cafe\u0301'],
  ])('stores and returns a name with %s intact', async (_, legalName) => {
    const auth = freshClient();
    const created = expectCustomer(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ legalName, contacts: [{ name: legalName, email: 'a@example.com', billingPreference: 'PRIMARY' }] })),
    );
    expect([created.legalName, created.contacts[0].name]).toEqual([legalName, legalName]);
    const read = expectCustomer(await request(app).get(`/customers/${created.id}`).set('Authorization', auth), 200);
    expect(read.legalName).toBe(legalName);
  });

  it.each([
    ['legalName', { legalName: 123 }, '/body/legalName', 'must be string'],
    [
      'address.postcode',
      { address: { line1: '1', town: 'London', postcode: 12345, country: 'GB' } },
      '/body/address/postcode',
      'must be string',
    ],
    [
      'contacts[0].email',
      { contacts: [{ name: 'A', email: 5, billingPreference: 'PRIMARY' }] },
      '/body/contacts/0/email',
      'must be string',
    ],
    ['customerAliases[1]', { customerAliases: ['ok', 2] }, '/body/customerAliases/1', 'must be string'],
  ])('answers a number for %s with 400 naming it (no coercion)', async (_, overrides, path, message) => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).send(minimalRequest(overrides));
    expect(expectError(res, 400, path).errors).toContainEqual({ path, message });
  });
});

describe('headers', () => {
  it('accepts a Basic secret that holds colons: the client id is what comes before the first', async () => {
    const auth = basic('colon-client', 'se:cr:et');
    const created = expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(minimalRequest()));
    const read = await request(app).get(`/customers/${created.id}`).set('Authorization', basic('colon-client', 'other'));
    expect(read.status).toBe(200);
  });
});

describe('over a raw socket, to a started server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await start({ port: 0, logLevel: 'silent', headersTimeoutMs: 400, requestTimeoutMs: 2000 });
  });
  afterAll(() => server.close());

  /** Sends raw bytes; resolves to what came back once the server closed the connection. */
  function raw(bytes: string | Buffer, { dribbleMs }: { dribbleMs?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let reply = '';
      let timer: NodeJS.Timeout | undefined;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (reply += chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        clearInterval(timer);
        resolve(reply);
      });
      if (dribbleMs === undefined) {
        socket.end(bytes);
      } else {
        // A slowloris client: one byte of its headers at a time, never finishing.
        let i = 0;
        const text = bytes.toString();
        timer = setInterval(() => socket.writable && i < text.length && socket.write(text[i++]!), dribbleMs);
      }
    });
  }
  const bodyOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error;
  const statusOf = (reply: string) => Number(reply.split(' ')[1]);
  const stillServing = async () => {
    const res = await fetch(`${server.url}/__admin/health`);
    expect(res.status).toBe(200);
  };

  it('answers headers over 16 KB with a JSON 431', async () => {
    const reply = await raw(`GET /customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(reply)).toBe(431);
    expect(bodyOf(reply)).toMatchObject({ type: 'RequestHeadersTooLarge', errors: [{ path: '/headers' }] });
    expect(reply).toMatch(/\r\nSequence-Version: 2024-07-30\r\n/);
    await stillServing();
  });

  it.each([
    ['Sequence-Version', 'Sequence-Version: 2024-07-30\r\nSequence-Version: 2024-07-30', '/headers/sequence-version'],
    ['Prefer (the same key twice)', 'Prefer: code=500\r\nPrefer: code=503', '/headers/prefer'],
  ])('answers a repeated %s (joined by Node into one value) with a 400 naming it', async (_, headers, path) => {
    const reply = await raw(`GET /customers HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\n${headers}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(reply)).toBe(400);
    expect(bodyOf(reply).errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('answers bytes that are not UTF-8 with 400, rather than storing them changed', async () => {
    const auth = basic('utf8-client');
    const json = Buffer.from(JSON.stringify(minimalRequest({ legalName: 'Acme XX' })));
    const at = json.indexOf('XX');
    json[at] = 0xff;
    json[at + 1] = 0xfe;
    const res = await fetch(`${server.url}/customers`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: json,
    });
    const body = ((await res.json()) as { error: { message: string; errors: { path: string }[] } }).error;
    expect([res.status, body.message, body.errors[0]?.path]).toEqual([400, 'Request body is not valid UTF-8', '/body']);
    const list = (await (await fetch(`${server.url}/customers?includeArchived=true`, { headers: { authorization: auth } })).json()) as {
      items: { legalName: string }[];
    };
    expect(list.items.map((c) => c.legalName)).not.toContainEqual(expect.stringContaining('Acme'));
    await stillServing();
  });

  // Bodies with a Content-Length are read by src/http/json-body.ts; chunked ones (and any other
  // encoding or charset) by body-parser. Both must answer the same bytes the same way.
  it.each([
    ['a valid customer', Buffer.from(JSON.stringify(minimalRequest({ legalName: 'Same Both Ways' })))],
    [
      'a byte-order mark, then a valid customer',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(minimalRequest()))]),
    ],
    ['an empty body', Buffer.alloc(0)],
    ['whitespace only', Buffer.from('  \n ')],
    ['malformed JSON', Buffer.from('{"legalName": ')],
    ['a number', Buffer.from('42')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])('answers %s the same read by length or in chunks', async (_, bytes) => {
    const send = async (chunked: boolean, client: string) => {
      // A stream body has no length: fetch sends it chunked.
      const headers = { authorization: basic(client), 'content-type': 'application/json' };
      const body = chunked
        ? new ReadableStream({
            start(controller) {
              controller.enqueue(new Uint8Array(bytes));
              controller.close();
            },
          })
        : bytes;
      const res = await fetch(`${server.url}/customers`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
      const answer = (await res.json()) as { error?: Record<string, unknown>; id?: string; createdAt?: string };
      delete answer.error?.requestId;
      delete answer.id;
      delete answer.createdAt;
      return [res.status, answer];
    };
    const byLength = await send(false, 'length-client');
    expect(await send(true, 'chunked-client')).toEqual(byLength);
    await stillServing();
  });

  it('answers broken HTTP with a JSON 400', async () => {
    const reply = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(statusOf(reply)).toBe(400);
    expect(bodyOf(reply)).toMatchObject({ type: 'BadRequest', message: 'The request is not valid HTTP' });
    await stillServing();
  });

  it('cuts off slow clients (a byte of headers at a time) with 408, while serving others', async () => {
    const slow = Array.from({ length: 20 }, () =>
      raw('GET /customers HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\n\r\n', { dribbleMs: 100 }),
    );
    // Others are served while the slow ones hang on.
    for (let i = 0; i < 5; i += 1) await stillServing();
    const replies = await Promise.all(slow);
    for (const reply of replies) expect(statusOf(reply)).toBe(408);
    expect(bodyOf(replies[0]!)).toMatchObject({ type: 'RequestTimeout', message: 'The request was not received in time' });
    await stillServing();
  }, 20_000);
});
