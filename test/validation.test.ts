// Spec enforcement and the error envelope: every bad request is a JSON 4xx naming the field.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MESSAGES } from '../src/http/errors.js';
import { expectCustomer, expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp();
const post = (path: string, body: unknown) =>
  request(app)
    .post(path)
    .set('Authorization', freshClient())
    .send(body as object);

describe.each(['/api/customers', '/customers'])('request validation on %s', (path) => {
  it.each([
    ['a missing legalName', { legalName: undefined }, ['/body/legalName']],
    ['a number as legalName', { legalName: 42 }, ['/body/legalName']],
    ['an unknown taxStatus', { taxStatus: 'TAX_FREE' }, ['/body/taxStatus']],
    ['an unknown status', { status: 'ARCHIVED' }, ['/body/status']],
    ['an unknown country', { address: { line1: 'a', town: 'b', postcode: 'c', country: 'XX' } }, ['/body/address/country']],
    ['an address without town and postcode', { address: { line1: 'a', country: 'GB' } }, ['/body/address/town', '/body/address/postcode']],
    ['a contact without email', { contacts: [{ name: 'Ann', billingPreference: 'NONE' }] }, ['/body/contacts/0/email']],
    [
      'a bad billingPreference',
      { contacts: [{ name: 'Ann', email: 'a@b.c', billingPreference: 'ALL' }] },
      ['/body/contacts/0/billingPreference'],
    ],
    ['contacts that is not an array', { contacts: 'ann@example.com' }, ['/body/contacts']],
    ['an unknown integration service', { integrationIds: [{ service: 'Oracle', id: '1' }] }, ['/body/integrationIds/0/service']],
    ['a pushToIntegrations other than Xero', { pushToIntegrations: ['Stripe'] }, ['/body/pushToIntegrations/0']],
    ['customerAliases that are not strings', { customerAliases: [1] }, ['/body/customerAliases/0']],
  ])('rejects %s with 400 naming the field', async (_name, change, paths) => {
    const res = await post(path, minimalRequest(change));
    const body = expectError(res, 400);
    expect(body.message).toContain(MESSAGES.validation);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
  });

  it('reports every violation at once (allErrors)', async () => {
    const res = await post(path, { legalName: 1, contacts: [{ name: 'a' }] });
    const paths = expectError(res, 400).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/body/legalName',
        '/body/address',
        '/body/taxStatus',
        '/body/contacts/0/email',
        '/body/contacts/0/billingPreference',
      ]),
    );
  });
});

describe('bodies that are not a JSON object', () => {
  it.each([
    ['malformed JSON', '{"legalName": ', '/body'],
    ['truncated JSON', '{"legalName": "a"', '/body'],
    ['a JSON null', 'null', '/body'],
    ['a JSON array', '[]', '/body'],
    ['a JSON number', '42', '/body'],
    ['a JSON string', '"customer"', '/body'],
  ])('answers %s with a 400 envelope', async (_name, raw, path) => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).set('Content-Type', 'application/json').send(raw);
    expectError(res, 400, path);
  });

  it('answers an empty body with 400 naming the required fields', async () => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).set('Content-Type', 'application/json');
    expectError(res, 400, '/body/legalName');
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .set('Content-Type', 'text/plain')
      .send('legalName=Acme');
    expect(expectError(res, 415, '/headers/content-type').message).toBe(MESSAGES.unsupportedMedia);
  });

  it('answers a body over 1 MB with 413, and one just under it is parsed', async () => {
    const big = minimalRequest({ label: 'x'.repeat(1024 * 1024) });
    expect(expectError(await post('/customers', big), 413, '/body').message).toBe(MESSAGES.tooLarge);
    const padding = 1024 * 1024 - JSON.stringify(minimalRequest({ label: '' })).length;
    const justUnder = minimalRequest({ label: 'x'.repeat(padding) });
    expect(Buffer.byteLength(JSON.stringify(justUnder))).toBe(1024 * 1024);
    expectCustomer(await post('/customers', justUnder));
  });
});

describe('Sequence-Version', () => {
  it('may be absent or 2024-07-30', async () => {
    expectCustomer(await post('/customers', minimalRequest()));
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .set('Sequence-Version', '2024-07-30')
      .send(minimalRequest());
    expectCustomer(res);
  });

  it.each(['2017-01-01', '2023-01-01', 'latest', ''])('answers unrecognised %p with the documented 400 body, verbatim', async (version) => {
    const res = await request(app)
      .post('/customers')
      .set('Authorization', freshClient())
      .set('Sequence-Version', version)
      .send(minimalRequest());
    expect([res.status, res.headers['sequence-version'], res.body]).toEqual([
      400,
      '2024-07-30',
      {
        error: {
          type: 'UnrecognisedApiVersion',
          message: 'No matching API version found. Please make sure the specified API version is valid.',
        },
      },
    ]);
  });

  it.each(['2024-05-09', '2024-01-01'])('answers %p, a version Sequence publishes, in that version (and says so)', async (version) => {
    const res = await request(app).get('/customers').set('Authorization', freshClient()).set('Sequence-Version', version);
    expect([res.status, res.headers['sequence-version']]).toEqual([200, version]);
  });

  it('is sent on every response: success, error, admin', async () => {
    for (const res of [
      await request(app).get('/customers').set('Authorization', freshClient()),
      await request(app).get('/customers'),
      await request(app).get('/__admin/health'),
      await request(app).get('/nothing-here').set('Authorization', freshClient()),
    ])
      expect(res.headers['sequence-version']).toBe('2024-07-30');
  });
});

describe('routing', () => {
  it('answers an unknown path with a 404 envelope', async () => {
    expectError(await request(app).get('/api/invoices-of-nobody').set('Authorization', freshClient()), 404);
    expectError(await request(app).get('/nothing-here').set('Authorization', freshClient()), 404);
    // As on Sequence, credentials are checked before anything else outside the admin API.
    expectError(await request(app).get('/nothing-here'), 401);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await request(app).delete('/customers').set('Authorization', freshClient());
    expectError(res, 405);
    expect(res.headers.allow).toBe('HEAD, POST, GET');
  });

  it('never sends an HTML page or a stack trace', async () => {
    const res = await request(app).post('/customers').set('Authorization', freshClient()).set('Content-Type', 'application/json').send('{');
    expect(res.text).not.toMatch(/<html|at \w+ \(/i);
  });
});
