// Property-based tests: POST /customers bodies generated from openapi.yaml's own schemas, and
// mutations of them. For every one: a valid body is 201 and reads back equal; an invalid one is a
// 400 naming the broken field; nothing is ever a 5xx; every response conforms to the spec (the app
// runs strict, and helpers check the schemas again).
// Fixed seed in CI so a failure reproduces; FUZZ_RUNS=5000 (and FUZZ_SEED) for a longer run.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { SUBDIVISIONS_OF } from '../src/resources/customers/rules.js';
import { expectCustomer, expectError, freshClient, makeApp } from './helpers.js';
import { arbitraryFor, schemaNamed } from './support/arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const PARENT_ID = '50af5191-05a3-42a5-802a-6b59091157af';
type Body = Record<string, any>;

/**
 * A schema-valid body made to pass the rules the schema states only in prose (src/customers/rules.ts):
 * a US or CA address names one of that country's states, billed contacts include a PRIMARY one,
 * aliases are not repeated, and a parent, if any, is one that exists (the documented fixture).
 */
function obeyRules(body: Body, useParent: boolean): Body {
  const { address } = body;
  if (address.country === 'US' || address.country === 'CA') {
    const states = SUBDIVISIONS_OF[address.country as 'US' | 'CA'];
    address.state = states.includes(address.state) ? address.state : states[0];
  }
  const billed = body.contacts.filter((c: Body) => c.billingPreference !== 'NONE');
  if (billed.length > 0 && !billed.some((c: Body) => c.billingPreference === 'PRIMARY')) billed[0].billingPreference = 'PRIMARY';
  if (body.customerAliases) body.customerAliases = [...new Set(body.customerAliases)];
  if (useParent) body.parentId = PARENT_ID;
  else delete body.parentId;
  return body;
}

// The country enum has ~250 values; US and CA, where the state rule bites, are drawn a third of
// the time each so the rule is exercised in every run.
const validBody = fc
  .tuple(arbitraryFor(schemaNamed('CreateOrUpdateCustomerRequest')), fc.boolean(), fc.constantFrom(undefined, 'US', 'CA'))
  .map(([body, useParent, country]) => {
    const copy = structuredClone(body) as Body;
    if (country) copy.address.country = country;
    return obeyRules(copy, useParent);
  });

/** A mutation that breaks the spec, and the path the 400 must name. */
type Mutation = (body: Body) => string | undefined;
const MUTATIONS: Record<string, Mutation> = {
  'a required field removed': (b) => {
    const field = ['legalName', 'address', 'contacts', 'taxStatus'][b.legalName.length % 4]!;
    delete b[field];
    return `/body/${field}`;
  },
  'a number for legalName': (b) => ((b.legalName = 42), '/body/legalName'),
  'an unknown taxStatus': (b) => ((b.taxStatus = 'TAXED_TWICE'), '/body/taxStatus'),
  'an unknown country': (b) => ((b.address.country = 'XX'), '/body/address/country'),
  'a contact without email': (b) => (b.contacts.length === 0 ? undefined : (delete b.contacts[0].email, '/body/contacts/0/email')),
  'an unknown billingPreference': (b) =>
    b.contacts.length === 0 ? undefined : ((b.contacts[0].billingPreference = 'SOMETIMES'), '/body/contacts/0/billingPreference'),
  'contacts as an object': (b) => ((b.contacts = { 0: 'x' }), '/body/contacts'),
  'an alias that is a number': (b) => ((b.customerAliases = [7]), '/body/customerAliases/0'),
  'address as a string': (b) => ((b.address = 'Flat 1, New York'), '/body/address'),
};

describe('POST /customers, generated from the spec', () => {
  it('answers every valid body 201, stored as sent and read back equal', async () => {
    const { app } = makeApp();
    await fc.assert(
      fc.asyncProperty(
        validBody,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
        async (body, extra) => {
          const auth = freshClient();
          // Unknown properties are accepted and neither stored nor echoed.
          const unknown = Object.fromEntries(Object.entries(extra).map(([k, v]) => [`x_${k}`, v]));
          const res = await request(app)
            .post('/api/customers')
            .set('Authorization', auth)
            .send({ ...body, ...unknown });
          const created = expectCustomer(res, 201);
          expect(created.legalName).toBe(body.legalName);
          expect(created.address).toEqual(body.address);
          expect(created.taxStatus).toBe(body.taxStatus);
          expect(created.status).toBe(body.status ?? 'ACTIVE');
          expect(created.contacts.map((c: Body) => [c.name, c.email, c.billingPreference])).toEqual(
            body.contacts.map((c: Body) => [c.name, c.email, c.billingPreference]),
          );
          for (const key of Object.keys(unknown)) expect(created).not.toHaveProperty([key]);
          const read = await request(app).get(`/customers/${created.id}`).set('Authorization', auth);
          expect(expectCustomer(read, 200)).toEqual(created);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it('answers every mutated body 400 naming the broken field, never a 5xx, storing nothing', async () => {
    const { app } = makeApp();
    const names = Object.keys(MUTATIONS);
    await fc.assert(
      fc.asyncProperty(validBody, fc.constantFrom(...names), async (body, name) => {
        const path = MUTATIONS[name]!(body);
        fc.pre(path !== undefined);
        const auth = freshClient();
        const res = await request(app).post('/customers').set('Authorization', auth).send(body);
        expectError(res, 400, path);
        const list = await request(app).get('/customers?limit=100').set('Authorization', auth);
        expect(list.body.pagination.totalResultSize).toBe(2); // the fixtures, nothing more
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
