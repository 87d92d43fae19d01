// The JSON-file store (DATA_FILE / --data), in-process: what a restart brings back, what the data
// file looks like to a user, journal replay, and background compaction. Crashes and refusals of the
// real process are in durable.e2e.test.ts.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { start, type RunningServer } from '../src/server.js';
import { DurableStore } from '../src/engine/store/durable.js';
import { DataFileError } from '../src/engine/store/data-file-error.js';
import { FORMAT_VERSION } from '../src/engine/store/snapshot.js';
import { CUSTOMERS, type CustomerRecord } from '../src/engine/records.js';
import type { LegacyCustomer } from '../src/engine/store/upgrade.js';
import request from 'supertest';
import { loadFixtures } from '../src/tools/admin/fixtures.js';
import { MESSAGES } from '../src/http/errors.js';
import { DataFileWriteError } from '../src/engine/store/data-file-error.js';
import { MemoryStore } from '../src/engine/store/memory.js';
import type { Partition, Store } from '../src/engine/store/types.js';
import { useDataDir } from './data-dir.js';
import { basic, expectError, makeApp, minimalRequest, vendorExample } from './helpers.js';

let dir: string;
let file: string;
useDataDir((d, f) => {
  dir = d;
  file = f;
});

const journals = () => readdirSync(dir).filter((name) => name.includes('.journal.'));

async function call(server: RunningServer, auth: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${url}`, {
    method,
    headers: { Authorization: auth, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** Everything a client can read back from one partition. */
async function everything(server: RunningServer, auth: string) {
  const list = await call(server, auth, 'GET', '/customers?includeArchived=true&limit=100');
  const details = await Promise.all(
    list.body.items.map(async (c: { id: string }) => ({
      customer: (await call(server, auth, 'GET', `/customers/${c.id}`)).body,
      contacts: (await call(server, auth, 'GET', `/customers/${c.id}/contacts?includeArchived=true`)).body,
      aliases: (await call(server, auth, 'GET', `/customers/${c.id}/aliases`)).body,
    })),
  );
  return { list: list.body, details };
}

/** A customer as data files of format 1 to 3 kept it (with its aliases and contacts inside). */
const record = (id: string, legalName = `Customer ${id}`): LegacyCustomer => ({
  id,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  legalName,
  address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  taxStatus: 'TAXED',
  status: 'ACTIVE',
  aliases: [],
  contacts: [],
  integrationIds: [],
});

/** The same customer as format 4 keeps it. */
const customer = (id: string, legalName?: string): CustomerRecord => {
  const { aliases: _aliases, contacts: _contacts, ...own } = record(id, legalName);
  return own;
};

describe('the JSON-file store across restarts', () => {
  it('brings back every kind of change: creates, organizations, updates, archives, contacts, aliases, resets, seeds', async () => {
    const alice = basic('alice');
    const bob = basic('bob');
    let server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    const child = await call(server, alice, 'POST', '/customers', vendorExample());
    expect(child.status).toBe(201);
    const parent = await call(server, alice, 'POST', '/customers', minimalRequest({ legalName: 'Parent Co' }));
    const second = await call(
      server,
      alice,
      'POST',
      '/customers',
      minimalRequest({ legalName: 'Second', parentId: parent.body.id, customerAliases: ['second-1'] }),
    );
    expect(second.status).toBe(201);
    const updated = await call(
      server,
      alice,
      'PUT',
      `/customers/${second.body.id}`,
      minimalRequest({
        legalName: 'Second, renamed',
        parentId: parent.body.id,
        customerAliases: ['second-1', 'second-2'],
        contacts: [{ name: 'Ann', email: 'ann@example.com', billingPreference: 'PRIMARY' }],
      }),
    );
    expect(updated.status).toBe(200);
    const contact = await call(server, alice, 'POST', `/customers/${second.body.id}/contacts`, {
      name: 'Ben',
      email: 'ben@example.com',
      billingPreference: 'NONE',
    });
    expect((await call(server, alice, 'POST', `/customers/${second.body.id}/contacts/${contact.body.id}/archive`)).status).toBe(200);
    expect((await call(server, alice, 'POST', `/customers/${child.body.id}/archive`)).status).toBe(200);
    await call(server, bob, 'POST', '/customers', minimalRequest({ legalName: 'Bob before reset' }));
    expect(
      (
        await fetch(`${server.url}/__admin/reset`, {
          method: 'POST',
          headers: { Authorization: bob, 'Content-Type': 'application/json' },
          body: '{"to":"empty"}',
        })
      ).status,
    ).toBe(200);
    await call(server, bob, 'POST', '/customers', minimalRequest({ legalName: 'Bob after reset' }));
    const seeded = await fetch(`${server.url}/__admin/seed`, {
      method: 'POST',
      headers: { Authorization: basic('carol'), 'Content-Type': 'application/json' },
      body: '{"count":5,"seed":3,"withChildren":true}',
    });
    expect(seeded.status).toBe(201);

    const before = {
      alice: await everything(server, alice),
      bob: await everything(server, bob),
      carol: await everything(server, basic('carol')),
    };
    await server.close();

    server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    try {
      const after = {
        alice: await everything(server, alice),
        bob: await everything(server, bob),
        carol: await everything(server, basic('carol')),
      };
      expect(after).toEqual(before);
      // The read-back is not vacuous: the states hold what was done.
      expect(after.alice.list.items.map((c: { legalName: string }) => c.legalName)).toEqual(
        expect.arrayContaining(['Second, renamed', 'Parent Co', 'John Doe', 'FinTech Solutions Inc.']),
      );
      expect(after.bob.list.items.map((c: { legalName: string }) => c.legalName)).toEqual(['Bob after reset']);
      expect(after.carol.list.pagination.totalResultSize).toBeGreaterThanOrEqual(5 + 2);
      const secondAfter = (await call(server, alice, 'GET', `/customers/${second.body.id}`)).body;
      expect(secondAfter.organizations[0].owner.id).toBe(parent.body.id);
      expect((await call(server, alice, 'GET', `/customers/${child.body.id}`)).body.archivedAt).toBeDefined();
      expect((await call(server, alice, 'GET', '/customers/by-alias/second-2')).body.id).toBe(second.body.id);
    } finally {
      await server.close();
    }
  });

  it('leaves a plain, readable lowdb JSON file after a clean stop, with no journal beside it', async () => {
    const server = await start({ port: 0, logLevel: 'silent', dataFile: file, fixtures: false });
    const created = await call(server, basic('alice'), 'POST', '/customers', minimalRequest({ legalName: 'Readable Ltd' }));
    await server.close();

    const text = readFileSync(file, 'utf8');
    expect(text).toContain('\n  "partitions": {'); // pretty-printed, one field a line
    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: 'sequence-mock', version: FORMAT_VERSION });
    expect(data.partitions.alice.collections['/customers']).toEqual([
      expect.objectContaining({ id: created.body.id, legalName: 'Readable Ltd' }),
    ]);
    expect(journals()).toEqual([]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('serves what a user edited in the file while the server was stopped', async () => {
    let server = await start({ port: 0, logLevel: 'silent', dataFile: file, fixtures: false });
    const created = await call(server, basic('alice'), 'POST', '/customers', minimalRequest({ legalName: 'Before edit' }));
    await server.close();

    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.partitions.alice.collections['/customers'][0].legalName = 'Edited by hand';
    data.partitions.shipped = { collections: { '/customers': [customer('3f1c2d4e-0000-4000-8000-000000000001', 'Shipped as seed data')] } };
    writeFileSync(file, JSON.stringify(data, null, 2));

    server = await start({ port: 0, logLevel: 'silent', dataFile: file, fixtures: false });
    try {
      expect((await call(server, basic('alice'), 'GET', `/customers/${created.body.id}`)).body.legalName).toBe('Edited by hand');
      const shipped = await call(server, basic('shipped'), 'GET', '/customers/3f1c2d4e-0000-4000-8000-000000000001');
      expect([shipped.status, shipped.body.legalName]).toEqual([200, 'Shipped as seed data']);
    } finally {
      await server.close();
    }
  });

  it('creates the data file at start, so a new one can be inspected at once', async () => {
    const server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    try {
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ format: 'sequence-mock', version: FORMAT_VERSION, partitions: {} });
    } finally {
      await server.close();
    }
  });

  it('refuses a second store on the same file while the first holds it, and allows it afterwards', async () => {
    const first = await DurableStore.open(file);
    await expect(DurableStore.open(file)).rejects.toThrow(/this process is already using .*db\.json/);
    await first.close();
    const second = await DurableStore.open(file);
    await second.close();
  });
});

describe('journal replay', () => {
  const line = (entry: unknown) => `${JSON.stringify(entry)}\n`;

  it('replays the journal over the snapshot and drops a torn last line (a crash mid-append)', async () => {
    writeFileSync(
      file,
      JSON.stringify({ format: 'sequence-mock', version: 1, partitions: { p: { customers: [record('a')], organizations: [] } } }),
    );
    writeFileSync(
      `${file}.journal.1`,
      line({ t: 'put', p: 'p', c: record('b') }) + line({ t: 'put', p: 'p', c: record('a', 'A renamed') }),
    );
    writeFileSync(`${file}.journal.2`, line({ t: 'put', p: 'q', c: record('c') }) + '{"t":"put","p":"q","c":{"id":"d","created');

    const store = await DurableStore.open(file);
    const p = store.partition('p');
    expect([p.get(CUSTOMERS, 'a')?.legalName, p.get(CUSTOMERS, 'b')?.legalName]).toEqual(['A renamed', 'Customer b']);
    expect(store.partition('q').get(CUSTOMERS, 'c')).toBeDefined();
    expect(store.partition('q').get(CUSTOMERS, 'd')).toBeUndefined();
    await store.close();

    // The clean stop folded every journal into the snapshot, written in the current format.
    expect(journals()).toEqual([]);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data.version).toBe(FORMAT_VERSION);
    expect(data.partitions.p.collections['/customers'].map((c: CustomerRecord) => c.legalName).sort()).toEqual(['A renamed', 'Customer b']);
    expect(data.partitions.q.collections['/customers'].map((c: CustomerRecord) => c.id)).toEqual(['c']);
  });

  it('replays a reset of every partition in order', async () => {
    writeFileSync(
      `${file}.journal.1`,
      line({ t: 'put', p: 'p', c: record('a') }) + line({ t: 'reset', p: null, d: null }) + line({ t: 'put', p: 'p', c: record('b') }),
    );
    const store = await DurableStore.open(file);
    expect([store.partition('p').get(CUSTOMERS, 'a'), store.partition('p').get(CUSTOMERS, 'b')?.id]).toEqual([undefined, 'b']);
    await store.close();
  });

  it('refuses a journal with a bad line before its end, changing no file', async () => {
    const snapshot = JSON.stringify({ format: 'sequence-mock', version: 1, partitions: {} });
    const journal = 'not json\n' + line({ t: 'put', p: 'p', c: record('a') });
    writeFileSync(file, snapshot);
    writeFileSync(`${file}.journal.1`, journal);
    await expect(DurableStore.open(file)).rejects.toThrow(DataFileError);
    await expect(DurableStore.open(file)).rejects.toThrow(/journal .*db\.json\.journal\.1 line 1 is not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe(snapshot);
    expect(readFileSync(`${file}.journal.1`, 'utf8')).toBe(journal);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('background compaction', () => {
  it('folds full journals into the snapshot while serving, and loses nothing acknowledged', async () => {
    const store = await DurableStore.open(file, { compactAfterBytes: 20_000 });
    const ids: string[] = [];
    // Commits in flight while journals rotate: each must still resolve only once its line is on disk.
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const id = `customer-${String(i).padStart(3, '0')}`;
        store.partition('p').put(CUSTOMERS, customer(id));
        await store.commit();
        ids.push(id);
      }),
    );
    expect(ids).toHaveLength(300);

    // Wait for the worker to fold the rotated journals in (each ~20 kB, about 50 customers).
    const deadline = Date.now() + 10_000;
    let inSnapshot = 0;
    while (Date.now() < deadline) {
      inSnapshot = JSON.parse(readFileSync(file, 'utf8')).partitions.p?.collections['/customers']?.length ?? 0;
      if (inSnapshot > 0 && journals().length <= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(inSnapshot).toBeGreaterThan(0);
    expect(journals().length).toBeLessThanOrEqual(2);
    await store.close();

    const reopened = await DurableStore.open(file);
    try {
      expect(ids.filter((id) => !reopened.partition('p').get(CUSTOMERS, id))).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});

describe('a data file that can no longer be written', () => {
  it('refuses changes with a 503 saying so, changes nothing, and keeps serving reads', async () => {
    // What DurableStore does once its journal has failed (disk full, file removed): every change
    // is refused before memory has it. Simulated here by a store that fails the same way.
    const memory = new MemoryStore({ initial: loadFixtures() });
    const failure = new DataFileWriteError('cannot write /data/db.json.journal.1: ENOSPC: no space left on device');
    const store: Store = {
      partition: (id) => {
        const inner = memory.partition(id);
        return Object.assign(Object.create(inner) as Partition, {
          put: () => {
            throw failure;
          },
          delete: () => {
            throw failure;
          },
        });
      },
      partitionIds: () => memory.partitionIds(),
      reset: () => {
        throw failure;
      },
      commit: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const { app } = makeApp({ store });
    const auth = basic('full-disk');
    const res = await request(app).post('/customers').set('Authorization', auth).send(minimalRequest());
    expect(expectError(res, 503).errors).toEqual([{ path: '/', message: failure.message }]);
    expect(res.body.error).toMatchObject({ type: 'DataFileUnavailable', message: MESSAGES.storeUnavailable });
    const list = await request(app).get('/customers').set('Authorization', auth);
    expect([list.status, list.body.pagination.totalResultSize]).toEqual([200, 2]);
  });
});
