// The request journal as a ring of columns: what goes in comes back out, field for field, in the
// order the admin API shows it, across the ring's wrap and a partition's clear.
import { describe, expect, it } from '@jest/globals';
import { Journal, type Recorded } from '../src/tools/admin/journal.js';

const at = Date.UTC(2026, 11, 1, 9, 30);

function entry(n: number, partition: string | undefined, extra: Partial<Recorded> = {}): Recorded {
  return {
    at: at + n * 1000 + 0.25,
    requestId: `00000000-0000-4000-8000-00000000000${n % 10}`,
    method: n % 2 === 0 ? 'GET' : 'POST',
    path: `/customers/c${n}`,
    partition,
    version: '2024-07-30',
    status: n % 3 === 0 ? 404 : 200,
    ms: n + 0.125,
    ...extra,
  };
}

describe('Journal', () => {
  it('keeps the newest entries, each as recorded, its fields in the admin API order', () => {
    const journal = new Journal(4);
    for (let n = 1; n <= 6; n += 1) journal.record(entry(n, n === 5 ? undefined : 'a', n === 6 ? { bodyText: '{"legalName":"Six"}' } : {}));
    expect(journal.size).toBe(4);
    const [six, five, four, three] = journal.list();
    expect(six).toEqual({
      id: 6,
      time: '2026-12-01T09:30:06.000Z',
      requestId: '00000000-0000-4000-8000-000000000006',
      method: 'GET',
      path: '/customers/c6',
      partition: 'a',
      version: '2024-07-30',
      status: 404,
      ms: 6.125,
      body: { legalName: 'Six' },
    });
    expect(Object.keys(six!)).toEqual(['id', 'time', 'requestId', 'method', 'path', 'partition', 'version', 'status', 'ms', 'body']);
    // No client id: no partition key at all, as before the columns.
    expect(Object.keys(five!)).not.toContain('partition');
    expect([five!.id, four!.id, three!.id]).toEqual([5, 4, 3]);
    expect(four).not.toHaveProperty('body');
  });

  it("clears one partition's entries and keeps the others whole: bodies, notes, errors and divergences", () => {
    const journal = new Journal(5);
    const errors = [{ path: '/legalName', message: 'is required' }];
    const divergences = [{ side: 'response' as const, path: '/status', message: 'undocumented status 418' }];
    journal.record(entry(1, 'a'));
    journal.record(entry(2, 'b', { bodyNote: 'body of 70000 bytes not kept (over 65536)' }));
    journal.record(entry(3, 'a', { bodyText: '{}' }));
    journal.record(entry(4, 'b', { errors, divergences }));
    journal.record(entry(5, 'b', { bodyText: '[1,2]' }));
    journal.record(entry(6, 'a')); // wraps: entry 1 goes
    journal.clear('a');
    expect(journal.size).toBe(3);
    const kept = journal.list();
    expect(kept.map((e) => e.id)).toEqual([5, 4, 2]);
    expect(kept[0]!.body).toEqual([1, 2]);
    expect(kept[1]).toMatchObject({ errors, divergences, status: 200, ms: 4.125 });
    expect(kept[1]).not.toHaveProperty('body');
    expect(kept[2]!.body).toEqual({ note: 'body of 70000 bytes not kept (over 65536)' });
    // Recording goes on after the kept entries, ids still counting up.
    journal.record(entry(7, 'b'));
    journal.record(entry(8, 'a'));
    expect(journal.list({ partition: 'a' }).map((e) => e.id)).toEqual([8]);
    expect(journal.list({ method: 'post', status: 200 }).map((e) => e.id)).toEqual([7, 5]);
    expect(journal.list({ path: '/customers/c4' }).map((e) => e.id)).toEqual([4]);
    journal.clear();
    expect(journal.size).toBe(0);
    expect(journal.list()).toEqual([]);
  });

  it('keeps nothing at capacity 0', () => {
    const journal = new Journal(0);
    journal.record(entry(1, 'a'));
    expect(journal.size).toBe(0);
    expect(journal.list()).toEqual([]);
  });
});
