// Partitions as a guarantee parallel test files can build on.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MemoryStore } from '../src/engine/store/memory.js';
import { named } from '../src/engine/store/types.js';
import { CUSTOMERS, type CustomerRecord } from '../src/engine/records.js';
import { loadFixtures } from '../src/tools/admin/fixtures.js';
import { basic, makeApp, minimalRequest } from './helpers.js';

describe('per-credential isolation', () => {
  it('two clients interleaving creates, reads, lists, seeds, journal and faults never see each other', async () => {
    const { app } = makeApp({ fixtures: false });
    const clients = [basic(`iso-${Math.random()}`), basic(`iso-${Math.random()}`)];
    const created: string[][] = [[], []];
    await Promise.all(
      clients.map(async (auth, n) => {
        for (let i = 0; i < 20; i += 1) {
          const res = await request(app)
            .post('/customers')
            .set('Authorization', auth)
            .send(minimalRequest({ legalName: `client${n}-${i}` }));
          created[n]!.push(res.body.id);
          const other = created[1 - n]![0];
          if (other) expect((await request(app).get(`/customers/${other}`).set('Authorization', auth)).status).toBe(404);
        }
        await request(app)
          .post('/__admin/seed')
          .set('Authorization', auth)
          .send({ count: 5, seed: n + 1 })
          .expect(201);
      }),
    );
    for (const [n, auth] of clients.entries()) {
      const list = await request(app).get('/customers').set('Authorization', auth).query({ limit: 100 });
      expect(list.body.pagination.totalResultSize).toBe(25);
      const names = list.body.items.map((c: { legalName: string }) => c.legalName).filter((name: string) => name.startsWith('client'));
      expect(names.every((name: string) => name.startsWith(`client${n}-`))).toBe(true);
      const journal = await request(app).get('/__admin/requests').set('Authorization', auth).query({ limit: 10000 });
      expect(new Set(journal.body.items.map((e: { partition: string }) => e.partition))).toEqual(
        new Set([journal.body.items[0].partition]),
      );
    }
  });
});

describe('partition bound', () => {
  it('keeps at most maxPartitions; the least recently used goes when a new one is written, and comes back as new', () => {
    const store = new MemoryStore({ initial: loadFixtures(), maxPartitions: 3 });
    const ids = ['a', 'b', 'c'];
    const fixture = loadFixtures().collections['/customers']![0]!;
    for (const id of ids) store.partition(id).put(CUSTOMERS, { ...(fixture as CustomerRecord), id: `only-${id}` });
    store.partition('a'); // a is now the most recently used
    expect(store.partitionIds()).toEqual(['a', 'c', 'b']);
    expect(store.partition('d').get(CUSTOMERS, 'only-a')).toBeUndefined(); // a read makes no partition
    expect(store.size).toBe(3);
    store.partition('d').put(CUSTOMERS, { ...(fixture as CustomerRecord), id: 'only-d' }); // a write does: evicts b
    expect(store.size).toBe(3);
    expect(store.partition('a').get(CUSTOMERS, 'only-a')).toBeDefined();
    expect(store.partition('c').get(CUSTOMERS, 'only-c')).toBeDefined();
    const b = store.partition('b'); // back, fresh: fixtures only
    expect(b.get(CUSTOMERS, 'only-b')).toBeUndefined();
    expect(b.get(CUSTOMERS, '50af5191-05a3-42a5-802a-6b59091157af')).toBeDefined();
  });
});

describe('the starting data, shared until written', () => {
  it('a change to a fixture stays in its partition; every other partition, new or written, reads the fixtures as they were', () => {
    const fixtures = loadFixtures();
    const store = new MemoryStore({ initial: fixtures });
    const users = named('/users');
    const user = fixtures.collections['/users']![0]!;
    const first = fixtures.collections['/customers']![0] as CustomerRecord;
    const total = Object.values(fixtures.collections).reduce((sum, records) => sum + records.length, 0);

    const a = store.partition('a');
    const b = store.partition('b');
    a.put(CUSTOMERS, { ...first, legalName: 'Changed in a' });
    a.delete(users, user.id);
    b.put(CUSTOMERS, { ...first, id: 'new-in-b' }); // b writes customers, never users
    const read = b.get(users, user.id)!;
    b.put(users, { ...read, note: 'changed in b' });

    expect(a.get(users, user.id)).toBeUndefined();
    expect(a.get(CUSTOMERS, first.id)!.legalName).toBe('Changed in a');
    expect(b.get(CUSTOMERS, first.id)!.legalName).toBe(first.legalName);
    expect(b.get(users, user.id)).toEqual({ ...user, note: 'changed in b' });
    for (const id of ['c', 'd']) {
      const fresh = store.partition(id);
      fresh.put(CUSTOMERS, { ...first, id: `new-in-${id}` });
      expect(fresh.get(users, user.id)).toEqual(user);
      expect(fresh.get(CUSTOMERS, first.id)).toEqual(first);
    }
    expect([a.size, b.size]).toEqual([total - 1, total + 1]);

    // A snapshot (the data file's part, an export) holds every collection, in the fixtures' order.
    const snapshot = b.snapshot();
    expect(Object.keys(snapshot.collections)).toEqual(Object.keys(fixtures.collections));
    expect(snapshot.collections['/customers']!.map((c) => c.id)).toEqual([
      ...fixtures.collections['/customers']!.map((c) => c.id),
      'new-in-b',
    ]);
    expect(snapshot.collections['/users']).toEqual([{ ...user, note: 'changed in b' }]);
    expect(snapshot.collections['/customer-organizations']).toEqual(fixtures.collections['/customer-organizations']);

    store.reset('a', fixtures); // back to the fixtures: the deleted user is there again
    expect(store.partition('a').get(users, user.id)).toEqual(user);
    expect(store.partition('a').get(CUSTOMERS, first.id)).toEqual(first);
  });
});
