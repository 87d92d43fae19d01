// The in-process API (start) and the AdminClient, as a jest suite would use them.
import { describe, expect, it } from '@jest/globals';
import { AdminClient, start } from '../src/index.js';
import { basic, minimalRequest } from './helpers.js';

const post = (url: string, auth: string, body: unknown) =>
  fetch(`${url}/api/customers`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('start()', () => {
  it('starts on port 0, exposes reset/requests/seed, and closes cleanly', async () => {
    const fake = await start({ port: 0, logLevel: 'silent' });
    try {
      const auth = basic('in-process');
      expect((await post(fake.url, auth, minimalRequest())).status).toBe(201);
      expect(fake.requests({ partition: 'in-process' }).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
        'POST /api/customers 201',
      ]);
      const seeded = await fake.seed('in-process', { count: 3, seed: 5 });
      expect(seeded).toHaveLength(3);
      const read = await fetch(`${fake.url}/customers/${seeded[0]!.id}`, { headers: { Authorization: auth } });
      expect(await read.json()).toEqual(seeded[0]);
      fake.reset('in-process', 'empty');
      const list = await fetch(`${fake.url}/customers`, { headers: { Authorization: auth } });
      expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('with seed: every new partition starts with the same faker customers', async () => {
    const fake = await start({ port: 0, logLevel: 'silent', fixtures: false, seed: { count: 4, seed: 3 } });
    try {
      const lists = await Promise.all(
        ['x', 'y'].map(async (id) => (await fetch(`${fake.url}/customers`, { headers: { Authorization: basic(id) } })).json()),
      );
      expect((lists[0] as { items: unknown[] }).items).toHaveLength(4);
      expect(lists[0]).toEqual(lists[1]);
    } finally {
      await fake.close();
    }
  });
});

describe('AdminClient', () => {
  it('drives the admin API of a server in another place', async () => {
    const fake = await start({ port: 0, logLevel: 'silent', adminToken: 'tok' });
    try {
      const admin = new AdminClient({ baseUrl: fake.url, clientId: 'remote', adminToken: 'tok' });
      expect(await admin.health()).toEqual({ status: 'ok' });
      const { items } = await admin.seed({ count: 2, seed: 9 });
      expect(items).toHaveLength(2);
      const rule = await admin.addFault({ match: { method: 'POST' }, respond: { code: 503 }, times: 1 });
      expect((await admin.faults()).map((r) => r.id)).toEqual([rule.id]);
      expect((await post(fake.url, basic('remote'), minimalRequest())).status).toBe(503);
      expect((await post(fake.url, basic('remote'), minimalRequest())).status).toBe(201);
      expect((await admin.requests({ method: 'POST' })).map((e) => e.status)).toEqual([201, 503]);
      await admin.clearRequests();
      expect(await admin.requests()).toEqual([]);
      await admin.clearFaults();
      expect(await admin.reset('empty')).toEqual({ reset: 'remote', to: 'empty' });
      await expect(new AdminClient({ baseUrl: fake.url }).faults()).rejects.toThrow(/401/);
    } finally {
      await fake.close();
    }
  });
});
