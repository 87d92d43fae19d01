// The programmatic API as the README shows it: start on port 0, use, close.
import { describe, expect, it } from '@jest/globals';
import { start } from '../src/index.js';
import { warmUp } from '../src/server.js';
import { basic, minimalRequest } from './helpers.js';

describe('start', () => {
  it('starts on a free port, serves both base paths, and closes', async () => {
    const fake = await start({ port: 0, logLevel: 'silent' });
    try {
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const created = await fetch(`${fake.url}/api/customers`, {
        method: 'POST',
        headers: { Authorization: basic('in-process'), 'Content-Type': 'application/json' },
        body: JSON.stringify(minimalRequest()),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const read = await fetch(`${fake.url}/customers/${id}`, { headers: { Authorization: basic('in-process') } });
      expect(read.status).toBe(200);
    } finally {
      await fake.close();
    }
    await expect(fetch(`${fake.url}/__admin/health`)).rejects.toThrow();
  });

  it('keeps two servers apart', async () => {
    const [a, b] = await Promise.all([start({ port: 0, logLevel: 'silent' }), start({ port: 0, logLevel: 'silent' })]);
    try {
      const created = await fetch(`${a.url}/customers`, {
        method: 'POST',
        headers: { Authorization: basic('same-id'), 'Content-Type': 'application/json' },
        body: JSON.stringify(minimalRequest()),
      });
      const { id } = (await created.json()) as { id: string };
      const elsewhere = await fetch(`${b.url}/customers/${id}`, { headers: { Authorization: basic('same-id') } });
      expect(elsewhere.status).toBe(404);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('the start-up warm-up', () => {
  it('reaches the validator and stops there: no partition, no journal entry, no log line', async () => {
    const server = await start({ port: 0, logLevel: 'silent', fixtures: false });
    try {
      const answers = await warmUp(server.port, '127.0.0.1', true);
      const post = answers.find((a) => a.method === 'POST')!;
      // The validator answered the POST (it names the body's missing fields), not the version check or auth.
      expect(post.status).toBe(400);
      expect(JSON.parse(post.body).error.errors.map((e: { path: string }) => e.path)).toEqual(
        expect.arrayContaining(['/body/legalName', '/body/address']),
      );
      expect(server.admin.partitions()).toEqual([]);
      expect(server.requests()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
