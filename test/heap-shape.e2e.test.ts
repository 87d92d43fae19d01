// What the store keeps per customer, counted in a heap snapshot of the built code in its own small
// process: every full collection marks each object the store holds, so a customer's object count
// is paid again and again under a load that stores. The ids are the case in point: node's
// randomUUID answers a tree of string pieces, and kept as such each id was a dozen heap objects.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { vendorExample } from './helpers.js';

const dist = (module: string) => fileURLToPath(new URL(`../dist/${module}`, import.meta.url));

/**
 * Runs `body` (an ES module's text, with `store`, `partition`, `createCustomer`, `newId`,
 * `systemClock`, `CUSTOMERS`, the `contacts` plugin and the seed's `generateCustomers` in scope) in a fresh node, then counts the
 * heap's objects by the snapshot's node type, and the store's collections (`Records`). With
 * `fixtures`, the store starts from the server's fixtures, as `sequence-mock` does.
 */
async function heapAfter(body: string, { fixtures = false } = {}): Promise<Record<string, number>> {
  const script = `
    import v8 from 'node:v8';
    import { MemoryStore } from ${JSON.stringify(dist('engine/store/memory.js'))};
    import { createCustomer } from ${JSON.stringify(dist('resources/customers/service.js'))};
    import { newId, systemClock } from ${JSON.stringify(dist('engine/clock.js'))};
    import { CUSTOMERS } from ${JSON.stringify(dist('engine/records.js'))};
    import { contacts } from ${JSON.stringify(dist('resources/contacts/index.js'))};
    import { loadFixtures } from ${JSON.stringify(dist('tools/admin/fixtures.js'))};
    import { generateCustomers } from ${JSON.stringify(dist('tools/admin/generate.js'))};
    const store = new MemoryStore(${fixtures ? '{ initial: loadFixtures() }' : ''});
    const partition = store.partition('heap-shape');
    ${body}
    globalThis.gc();
    let text = '';
    for await (const chunk of v8.getHeapSnapshot()) text += chunk;
    const snapshot = JSON.parse(text);
    const fields = snapshot.snapshot.meta.node_fields.length;
    const types = snapshot.snapshot.meta.node_types[0];
    const counts = {};
    for (let i = 0; i < snapshot.nodes.length; i += fields) {
      const type = types[snapshot.nodes[i]];
      counts[type] = (counts[type] ?? 0) + 1;
      // V8's own kinds of object (a PropertyArray, where an object keeps fields its shape has no room for).
      if (type === 'hidden') {
        const kind = snapshot.strings[snapshot.nodes[i + 1]];
        counts[kind] = (counts[kind] ?? 0) + 1;
      }
      if (type === 'object' && snapshot.strings[snapshot.nodes[i + 1]] === 'Records') counts.Records = (counts.Records ?? 0) + 1;
    }
    process.stdout.write(JSON.stringify(counts));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

/** Strings kept as a tree of pieces (cons strings), not yet flattened. */
const pieces = (counts: Record<string, number>) => counts['concatenated string'] ?? 0;
/** Strings kept as a view into a larger string (sliced strings), which keep that string alive. */
const views = (counts: Record<string, number>) => counts['sliced string'] ?? 0;
/** Objects whose fields did not fit their shape, kept in a second object. */
const spilled = (counts: Record<string, number>) => counts['system / PropertyArray'] ?? 0;

describe('what the store keeps', () => {
  it('keeps new ids as flat strings: 2,000 kept ids add no string pieces to the heap', async () => {
    const none = await heapAfter('globalThis.kept = [];');
    const kept = await heapAfter('globalThis.kept = Array.from({ length: 2000 }, () => newId());');
    // randomUUID's own answer, kept, is a dozen or so pieces an id: about 28,000 here.
    expect(pieces(kept) - pieces(none)).toBeLessThan(100);
    expect(kept.string! - none.string!).toBeGreaterThanOrEqual(2000);
  });

  it('keeps 500 created customers (contacts, aliases, links and all) without string pieces or spilled fields', async () => {
    const example = vendorExample();
    delete example.parentId; // an empty store has no parent to name
    const none = await heapAfter('');
    const created = await heapAfter(`
      const example = ${JSON.stringify(example)};
      globalThis.kept = [];
      for (let i = 0; i < 500; i += 1) {
        const customer = createCustomer(partition, { ...example, customerAliases: ['alias-' + i], pushToIntegrations: ['Xero'] }, systemClock);
        globalThis.kept.push(customer.id);
      }
      if (partition.get(CUSTOMERS, globalThis.kept[499]) === undefined) throw new Error('not stored');
    `);
    // Each customer draws at least an id for itself, each contact, its alias and its Xero link.
    expect(pieces(created) - pieces(none)).toBeLessThan(100);
    // A contact built with a spread kept some of its fields in a second object: 1,500 here.
    expect(spilled(created) - spilled(none)).toBeLessThan(100);
  });

  it('keeps 1,000 seeded customers (POST /__admin/seed) as flat strings, as a request body gives them', async () => {
    const seeded = (count: number) => `
      globalThis.kept = await generateCustomers(partition, { count: ${count}, seed: 7, withChildren: true });
      if (partition.all(CUSTOMERS).length !== ${count}) throw new Error('not stored');
    `;
    const one = await heapAfter(seeded(1));
    const many = await heapAfter(seeded(1001));
    // faker builds names, addresses and its uuids by concatenation and slicing: kept as they came,
    // a seeded customer (1-3 contacts) held about 10 string pieces and 5 views: 11,246 pieces here.
    expect(pieces(many) - pieces(one)).toBeLessThan(100);
    expect(views(many) - views(one)).toBeLessThan(100);
  });

  it('keeps 1,000 contacts added through POST /customers/{customer}/contacts without spilled fields', async () => {
    const customer = {
      legalName: 'Heap Ltd',
      address: { line1: '1 Road', town: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
      taxStatus: 'TAXED',
      contacts: [],
    };
    const add = (count: number) => `
      const customer = createCustomer(partition, ${JSON.stringify(customer)}, systemClock);
      // The plugin's handler as the engine calls it (the HTTP pipeline before it is not what is counted).
      const call = (i) => ({ partition, clientId: 'heap-shape', accountId: 'heap-shape', params: { customer: customer.id }, query: {},
        body: { name: 'Contact ' + i, email: 'contact' + i + '@example.com', billingPreference: 'NONE' }, clock: systemClock, example: undefined });
      for (let i = 0; i < ${count}; i += 1) contacts.handlers.postCustomersByCustomerContacts(call(i));
    `;
    const one = await heapAfter(add(1));
    const many = await heapAfter(add(1001));
    // A literal with the request's fields spread into it spilled every contact: about 1,000 here.
    expect(spilled(many) - spilled(one)).toBeLessThan(50);
  });

  it('gives 200 partitions made from the fixtures a copy of only the collections they write', async () => {
    const example = vendorExample(); // its parentId names the fixtures' parent customer
    const partitions = (count: number) => `
      const example = ${JSON.stringify(example)};
      for (let i = 0; i < ${count}; i += 1) createCustomer(store.partition('p' + i), { ...example, customerAliases: ['alias-' + i] }, systemClock);
      if (store.partition('p0').all({ name: '/users', indexes: {}, filters: {} }).length !== 1) throw new Error('the fixture user is not read');
    `;
    const one = await heapAfter(partitions(1), { fixtures: true });
    const many = await heapAfter(partitions(201), { fixtures: true });
    // A create writes customers, contacts, aliases and the parent's organization. Copying the
    // fixtures whole gave each partition all 13 of their collections (and 25 KB): 2,600 here.
    expect((many.Records! - one.Records!) / 200).toBeLessThanOrEqual(4);
  });
});
