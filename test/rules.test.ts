// Sequence's prose rules: as domain checks without HTTP, then as 400s through HTTP.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { checkCustomerRules, type CustomerRequest } from '../src/resources/customers/rules.js';
import { RULES } from '../src/resources/registry.js';
import { CUSTOMERS } from '../src/engine/records.js';
import { archiveCustomer, createCustomer } from '../src/resources/customers/service.js';
import { MemoryPartition } from '../src/engine/store/memory.js';
import { expectCustomer, expectError, freshClient, makeApp, minimalRequest } from './helpers.js';

const contact = (billingPreference: 'PRIMARY' | 'STANDARD' | 'NONE', n = 1) => ({
  name: `C${n}`,
  email: `c${n}@example.com`,
  billingPreference,
});
const us = (state?: string) => ({ line1: '1 Main St', town: 'Springfield', postcode: '12345', country: 'US', ...(state && { state }) });
let seq = 0;
const deps = { now: () => new Date('2026-01-01T00:00:00Z'), newId: () => `id-${++seq}` };

describe('checkCustomerRules (domain, no HTTP)', () => {
  const partition = new MemoryPartition();
  const active = createCustomer(partition, minimalRequest() as CustomerRequest, deps);
  const draft = createCustomer(partition, minimalRequest({ status: 'DRAFT' }) as CustomerRequest, deps);
  const archived = archiveCustomer(partition, createCustomer(partition, minimalRequest() as CustomerRequest, deps).id, deps)!;

  it.each([
    ['no contacts', { contacts: [] }, []],
    ['only NONE contacts', { contacts: [contact('NONE')] }, []],
    ['a PRIMARY contact', { contacts: [contact('PRIMARY')] }, []],
    ['STANDARD with a PRIMARY', { contacts: [contact('STANDARD', 1), contact('PRIMARY', 2)] }, []],
    [
      'STANDARD without a PRIMARY',
      { contacts: [contact('STANDARD'), contact('NONE', 2)] },
      [{ path: '/body/contacts', message: RULES.primaryContact }],
    ],
    ['a US address with a state', { address: us('NY') }, []],
    ['a US address without a state', { address: us() }, [{ path: '/body/address/state', message: RULES.stateRequired('US') }]],
    [
      'a CA address without a state',
      { address: { ...us(), country: 'CA' } },
      [{ path: '/body/address/state', message: RULES.stateRequired('CA') }],
    ],
    [
      'a US address with a Canadian province',
      { address: us('ON') },
      [{ path: '/body/address/state', message: RULES.stateOfCountry('ON', 'US') }],
    ],
    [
      'a CA address with a US state',
      { address: { ...us('TX'), country: 'CA' } },
      [{ path: '/body/address/state', message: RULES.stateOfCountry('TX', 'CA') }],
    ],
    ['a GB address without a state', { address: { line1: 'a', town: 'b', postcode: 'c', country: 'GB' } }, []],
    ['an ACTIVE parent', { parentId: active.id }, []],
    ['an unknown parent', { parentId: 'nope' }, [{ path: '/body/parentId', message: RULES.parentUnknown }]],
    ['a DRAFT parent', { parentId: draft.id }, [{ path: '/body/parentId', message: RULES.parentDraft }]],
    ['an archived parent', { parentId: archived.id }, [{ path: '/body/parentId', message: RULES.parentArchived }]],
  ])('%s', (_name, change, expected) => {
    expect(checkCustomerRules(minimalRequest(change) as CustomerRequest, partition)).toEqual(expected);
  });

  it('reports every broken rule at once', () => {
    const request = minimalRequest({ contacts: [contact('STANDARD')], address: us(), parentId: 'nope' }) as CustomerRequest;
    expect(checkCustomerRules(request, partition).map((v) => v.path)).toEqual(['/body/contacts', '/body/address/state', '/body/parentId']);
  });

  it('stores nothing when a rule is broken', () => {
    let ids = 0;
    const counting = { now: deps.now, newId: () => `never-${++ids}` };
    expect(() => createCustomer(partition, minimalRequest({ address: us() }) as CustomerRequest, counting)).toThrow(
      RULES.stateRequired('US'),
    );
    expect(partition.get(CUSTOMERS, 'never-1')).toBeUndefined();
  });
});

describe('rules through HTTP', () => {
  const { app } = makeApp();

  it.each([
    ['STANDARD contacts without a PRIMARY', { contacts: [contact('STANDARD')] }, '/body/contacts', RULES.primaryContact],
    ['a US address without state', { address: us() }, '/body/address/state', RULES.stateRequired('US')],
    ['a CA address with a US state', { address: { ...us('NY'), country: 'CA' } }, '/body/address/state', RULES.stateOfCountry('NY', 'CA')],
    ['an unknown parentId', { parentId: '7d1e7a0e-0000-4000-8000-000000000000' }, '/body/parentId', RULES.parentUnknown],
  ])('%s is 400 naming the field, and nothing is stored', async (_name, change, path, message) => {
    const auth = freshClient();
    const res = await request(app).post('/customers').set('Authorization', auth).send(minimalRequest(change));
    const body = expectError(res, 400, path);
    expect(body.errors).toContainEqual({ path, message });
    expect(body.message).toContain(message);
  });

  it('a DRAFT customer cannot be a parent; once created ACTIVE it can', async () => {
    const auth = freshClient();
    const draft = expectCustomer(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ status: 'DRAFT' })),
    );
    const refused = await request(app)
      .post('/customers')
      .set('Authorization', auth)
      .send(minimalRequest({ parentId: draft.id }));
    expect(expectError(refused, 400, '/body/parentId').errors).toContainEqual({ path: '/body/parentId', message: RULES.parentDraft });
    const active = expectCustomer(await request(app).post('/customers').set('Authorization', auth).send(minimalRequest()));
    expectCustomer(
      await request(app)
        .post('/customers')
        .set('Authorization', auth)
        .send(minimalRequest({ parentId: active.id })),
    );
  });
});
