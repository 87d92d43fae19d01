// Basic auth as Sequence documents it, and the partition it selects.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { parseBasicAuth } from '../src/http/auth.js';
import { MESSAGES } from '../src/http/errors.js';
import { basic, expectCustomer, expectError, makeApp, minimalRequest } from './helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Authorization header', () => {
  const { app } = makeApp();

  it.each([
    ['missing', undefined, MESSAGES.authMissing],
    ['empty', '', MESSAGES.authMissing],
    ['a Bearer token', 'Bearer abc.def', MESSAGES.authScheme],
    ['a bare token', b64('key:secret'), MESSAGES.authScheme],
    ['Basic with nothing after it', 'Basic', MESSAGES.authEmpty],
    ['Basic with a non-base64 token', 'Basic !!not-base64!!', MESSAGES.authEncoding],
    ['Basic with base64 of no colon', `Basic ${b64('keysecret')}`, MESSAGES.authEncoding],
    ['Basic with invalid UTF-8', `Basic ${Buffer.from([0x6b, 0x3a, 0xff, 0xfe]).toString('base64')}`, MESSAGES.authEncoding],
    ['Basic with an empty client id', `Basic ${b64(':secret')}`, MESSAGES.authEmpty],
    ['Basic with an empty secret', `Basic ${b64('key:')}`, MESSAGES.authEmpty],
  ])('is 401 when %s, on POST and GET, with a message saying how to fix it', async (_name, header, message) => {
    for (const req of [request(app).post('/api/customers').send(minimalRequest()), request(app).get('/customers/x')]) {
      const res = await (header === undefined ? req : req.set('Authorization', header));
      const body = expectError(res, 401, '/headers/authorization');
      expect(body.message).toBe(message);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Sequence API"');
    }
  });

  it('accepts the documented example "Basic a2V5OnNlY3JldA==" (key:secret)', async () => {
    expectCustomer(await request(app).post('/customers').set('Authorization', 'Basic a2V5OnNlY3JldA==').send(minimalRequest()));
  });

  it('is checked before the body: no credentials and a bad body is still 401', async () => {
    expectError(await request(app).post('/customers').send({}), 401);
  });

  it('splits at the first colon, so a secret may contain colons', () => {
    expect(parseBasicAuth(`Basic ${b64('id:se:cr:et')}`)).toEqual({ clientId: 'id', clientSecret: 'se:cr:et' });
    expect(parseBasicAuth(`basic   ${b64('id:s')}`)).toEqual({ clientId: 'id', clientSecret: 's' });
  });
});

describe('SEQUENCE_MOCK_CREDENTIALS restricts who may call', () => {
  const { app } = makeApp({
    credentials: new Map([
      ['ci', 'ci-secret'],
      ['dev', 'p:w'],
    ]),
  });

  it('accepts the listed pairs', async () => {
    expectCustomer(await request(app).post('/customers').set('Authorization', basic('ci', 'ci-secret')).send(minimalRequest()));
    expectCustomer(await request(app).post('/customers').set('Authorization', basic('dev', 'p:w')).send(minimalRequest()));
  });

  it.each([
    ['an unknown client id', basic('other', 'ci-secret')],
    ['a wrong secret', basic('ci', 'wrong')],
  ])('answers %s with 401', async (_name, header) => {
    const res = await request(app).post('/customers').set('Authorization', header).send(minimalRequest());
    expect(expectError(res, 401).message).toBe(MESSAGES.authRejected);
  });
});

describe('partitions by client id', () => {
  const { app } = makeApp();

  it('one client id never reads a customer another created (404), whatever the secret', async () => {
    const created = expectCustomer(await request(app).post('/customers').set('Authorization', basic('alice')).send(minimalRequest()));
    expectError(await request(app).get(`/customers/${created.id}`).set('Authorization', basic('bob')), 404);
    const again = await request(app).get(`/api/customers/${created.id}`).set('Authorization', basic('alice', 'another-secret'));
    expect(expectCustomer(again, 200).id).toBe(created.id);
  });

  it('a parent from another partition does not resolve', async () => {
    const parent = expectCustomer(await request(app).post('/customers').set('Authorization', basic('carol')).send(minimalRequest()));
    const res = await request(app)
      .post('/customers')
      .set('Authorization', basic('dave'))
      .send(minimalRequest({ parentId: parent.id }));
    expectError(res, 400, '/body/parentId');
  });
});
