// Prism-compatible error modes: Prefer: code=..., delay=...
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MAX_DELAY_MS, parsePrefer, PREFER_CODES } from '../src/http/mock-controls.js';
import { expectCustomer, expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const PARENT_ID = '50af5191-05a3-42a5-802a-6b59091157af';

describe('Prefer: code=N', () => {
  it.each(PREFER_CODES)('answers %i with the envelope on POST and changes no state', async (code) => {
    const auth = freshClient();
    const res = await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .set('Prefer', `code=${code}`)
      .send(minimalRequest({ parentId: PARENT_ID }));
    const body = expectError(res, code, '/headers/prefer');
    expect(body.message).toContain(`forced by Prefer: code=${code}`);
    // The parent's organization still has only its fixture child: nothing was created.
    const parent = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth);
    expect(expectCustomer(parent, 200).organizations[0].members).toHaveLength(1);
  });

  it.each(PREFER_CODES)('answers %i on GET too', async (code) => {
    const res = await request(app).get(`/api/customers/${PARENT_ID}`).set('Authorization', freshClient()).set('Prefer', `code=${code}`);
    expectError(res, code);
  });

  it.each([
    ['GET', '/customers'],
    ['PUT', `/customers/${PARENT_ID}`],
    ['POST', `/customers/${PARENT_ID}/archive`],
    ['GET', `/customers/${PARENT_ID}/aliases`],
    ['GET', '/customers/by-alias/anything'],
    ['GET', `/customers/${PARENT_ID}/contacts`],
    ['POST', `/customers/${PARENT_ID}/contacts`],
    ['PUT', `/customers/${PARENT_ID}/contacts/x`],
    ['POST', `/customers/${PARENT_ID}/contacts/x/archive`],
  ])('applies to %s %s, which is then not carried out', async (method, path) => {
    const auth = freshClient();
    const body =
      method === 'PUT' && !path.includes('contacts')
        ? minimalRequest({ legalName: 'Changed' })
        : path.endsWith('/contacts') || path.endsWith('/contacts/x')
          ? { name: 'A', email: 'a@x.io', billingPreference: 'NONE' }
          : undefined;
    const req = request(app)[method.toLowerCase() as 'get' | 'put' | 'post'](path).set('Authorization', auth).set('Prefer', 'code=409');
    expectError(await (body ? req.send(body) : req), 409);
    const parent = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', auth);
    expect(parent.body).toMatchObject({ legalName: 'FinTech Solutions Inc.', contacts: [] });
    expect(parent.body).not.toHaveProperty('archivedAt');
  });

  it('sends Retry-After with 429 and 503', async () => {
    for (const code of [429, 503]) {
      const res = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient()).set('Prefer', `code=${code}`);
      expect(res.headers['retry-after']).toBe('1');
    }
  });

  it('comes after auth and spec validation: those errors win', async () => {
    expectError(await request(app).post('/customers').set('Prefer', 'code=500').send(minimalRequest()), 401);
    expectError(
      await request(app).post('/customers').set('Authorization', freshClient()).set('Prefer', 'code=500').send({}),
      400,
      '/body/legalName',
    );
  });

  it("accepts Prism's example/dynamic keys and ignores them", async () => {
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .set('Prefer', 'code=409, dynamic=true, example=foo')
      .send(minimalRequest());
    expectError(res, 409);
  });
});

describe('Prefer: delay=N', () => {
  it('holds the response back by at least that long, then answers normally', async () => {
    const started = Date.now();
    const res = await request(app).post('/customers').set('Authorization', freshClient()).set('Prefer', 'delay=150').send(minimalRequest());
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expectCustomer(res);
  });

  it('combines with code', async () => {
    const started = Date.now();
    const res = await request(app).get(`/customers/${PARENT_ID}`).set('Authorization', freshClient()).set('Prefer', 'delay=100; code=503');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expectError(res, 503);
  });
});

describe('a malformed Prefer', () => {
  it.each([
    ['code=418', 'code=418 is not one of'],
    ['code=abc', 'code=abc is not one of'],
    ['code=200', 'code=200 is not one of'],
    ['delay=-5', 'delay=-5 is not a whole number'],
    [`delay=${MAX_DELAY_MS + 1}`, 'is not a whole number of milliseconds from 0 to'],
    ['delay=1.5', 'delay=1.5 is not a whole number'],
    ['code', '"code" is not key=value'],
    ['colour=blue', 'unknown preference "colour"'],
    ['code=400, code=500', 'code is given twice'],
  ])('%p is 400 saying what is accepted', async (prefer, detail) => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).set('Prefer', prefer).send(minimalRequest());
    const body = expectError(res, 400, '/headers/prefer');
    expect(body.message).toContain(detail);
    expect(body.message).toContain('code=400|401|404|409|429|500|503');
  });

  it('parses what Prism clients send', () => {
    expect(parsePrefer('code=404')).toEqual({ code: 404 });
    expect(parsePrefer(' code = 429 , delay=0 ')).toEqual({ code: 429, delay: 0 });
    expect(parsePrefer('delay="250"')).toEqual({ delay: 250 });
    expect(parsePrefer(undefined)).toEqual({});
    expect(parsePrefer('')).toEqual({});
  });
});
