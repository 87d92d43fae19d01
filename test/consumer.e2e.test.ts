// A consumer's view: the typed client a user's app would build from Sequence's published document
// (openapi-typescript's `paths` of its Customers operations, which is what openapi.yaml is, cut
// unedited; openapi-fetch), driven through a realistic flow against a started fake, with queries as
// that client and URLSearchParams encode them. This is the README's "use it from your tests" example.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import createClient from 'openapi-fetch';
import type { paths } from '../src/generated/openapi.js';
import { start, type RunningServer } from '../src/server.js';

let fake: RunningServer;
beforeAll(async () => {
  fake = await start({ port: 0, logLevel: 'silent' });
});
afterAll(() => fake.close());

/**
 * Sequence's spec declares Authorization (and Sequence-Version) as header parameters of every
 * operation, so the generated types ask for them on each call, as a user's app passes them.
 */
function sequence(clientId: string, extra: Record<string, string> = {}) {
  const header = {
    Authorization: `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`,
    'Sequence-Version': '2024-07-30' as const,
  };
  return { client: createClient<paths>({ baseUrl: `${fake.url}/api`, headers: extra }), header };
}

const address = { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' as const };

describe('a typed openapi-fetch client', () => {
  it('creates a parent and its children, reads them back, pages, updates and archives', async () => {
    const { client, header } = sequence('consumer-flow');
    const parent = await client.POST('/customers', {
      params: { header },
      body: {
        legalName: 'Holding plc',
        address,
        taxStatus: 'TAXED',
        contacts: [{ name: 'Ann', email: 'ann@holding.example', billingPreference: 'PRIMARY' }],
      },
    });
    expect(parent.response.status).toBe(201);
    const parentId = parent.data!.id;

    const children = [];
    for (const name of ['Subsidiary A', 'Subsidiary B']) {
      const child = await client.POST('/customers', {
        params: { header },
        body: {
          legalName: name,
          address,
          taxStatus: 'TAX_EXEMPT',
          contacts: [],
          parentId,
          customerAliases: [name.toLowerCase().replace(' ', '-')],
        },
      });
      expect(child.error).toBeUndefined();
      children.push(child.data!);
    }
    expect(children[1]!.organizations[0]).toMatchObject({ owner: { id: parentId, name: 'Holding plc' } });
    expect(children[1]!.organizations[0]!.members.map((m) => m.name)).toEqual(['Subsidiary A', 'Subsidiary B']);

    const read = await client.GET('/customers/{id}', { params: { header, path: { id: parentId } } });
    expect(read.data!.organizations[0]!.members).toHaveLength(2);

    const byAlias = await client.GET('/customers/by-alias/{alias}', { params: { header, path: { alias: 'subsidiary-b' } } });
    expect(byAlias.data!.id).toBe(children[1]!.id);

    // Walk every page, two at a time, following the opaque cursor.
    const walked: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.GET('/customers', { params: { header, query: { limit: 2, sortOrder: 'ASC', ...(after && { after }) } } });
      walked.push(...page.data!.items.map((c) => c.legalName));
      after = page.data!.pagination.after ?? undefined;
    } while (after);
    expect(walked.slice(-3)).toEqual(['Holding plc', 'Subsidiary A', 'Subsidiary B']);

    const updated = await client.PUT('/customers/{id}', {
      params: { header, path: { id: children[0]!.id } },
      body: { legalName: 'Subsidiary A Ltd', address, taxStatus: 'TAXED', contacts: [] },
    });
    expect(updated.data!.legalName).toBe('Subsidiary A Ltd');
    const archived = await client.POST('/customers/{id}/archive', { params: { header, path: { id: children[0]!.id } } });
    expect(archived.data!.archivedAt).toEqual(expect.any(String));
    const visible = await client.GET('/customers', { params: { header, query: { limit: 100 } } });
    expect(visible.data!.items.map((c) => c.id)).not.toContain(children[0]!.id);
  });

  it('surfaces validation errors, unknown ids and forced faults as typed errors with their status', async () => {
    const { client, header } = sequence('consumer-errors');
    const invalid = await client.POST('/customers', {
      params: { header },
      body: { legalName: 'No state', address: { ...address, country: 'US' }, taxStatus: 'TAXED', contacts: [] },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.data).toBeUndefined();
    // Sequence's envelope: a client reading error.message gets the sentence.
    expect(invalid.error).toMatchObject({ error: { type: 'ValidationError', message: expect.stringContaining('/body/address/state') } });

    const missing = await client.GET('/customers/{id}', { params: { header, path: { id: '00000000-0000-4000-8000-000000000000' } } });
    expect([missing.response.status, missing.data]).toEqual([404, undefined]);

    const forced = sequence('consumer-errors', { Prefer: 'code=503' });
    const unavailable = await forced.client.GET('/customers', { params: { header: forced.header } });
    expect([unavailable.response.status, unavailable.response.headers.get('retry-after')]).toEqual([503, '1']);

    const unauthorised = await client.GET('/customers', { params: { header: { Authorization: 'Bearer not-basic' } } });
    expect(unauthorised.response.status).toBe(401);

    // What the client sent is in the journal, for a test to assert on.
    const sent = fake.requests({ partition: 'consumer-errors', method: 'POST' });
    expect(sent[0]).toMatchObject({ status: 400, body: { legalName: 'No state' } });
  });

  it('filters by names with spaces, apostrophes and brackets, as openapi-fetch and URLSearchParams encode them', async () => {
    const { client, header } = sequence('consumer-filters');
    const names = ["O'Brien Holdings Ltd", 'Acme (UK) Ltd', 'Yahoo! Inc'];
    for (const legalName of names) {
      const made = await client.POST('/customers', {
        params: { header },
        body: { legalName, address, taxStatus: 'TAXED', contacts: [], label: `${legalName} label` },
      });
      expect(made.response.status).toBe(201);
    }
    for (const legalName of names) {
      // openapi-fetch: encodeURIComponent, so ' ( ) ! stay raw and a space is %20.
      const typed = await client.GET('/customers', { params: { header, query: { legalName, label: `${legalName} label` } } });
      expect([typed.response.status, typed.data?.items.map((c) => c.legalName)]).toEqual([200, [legalName]]);
      // URLSearchParams (and every form encoder): a space is +.
      const form = await fetch(`${fake.url}/api/customers?${new URLSearchParams({ legalName })}`, { headers: header });
      const body = (await form.json()) as { items: { legalName: string }[] };
      expect([form.status, form.headers.get('sequence-version'), body.items.map((c) => c.legalName)]).toEqual([
        200,
        '2024-07-30',
        [legalName],
      ]);
    }
  });
});
