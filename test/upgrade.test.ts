// A data file written by sequence-mock 0.1 (format 3, test/fixtures/format-3.json, made by
// test/fixtures/make-format-3.mjs against that release) is served unchanged by this one: every read
// 0.1 answered for it (test/fixtures/format-3.answers.json) answers the same, and the file is
// written back in the current format.
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, readFileSync } from 'node:fs';
import { FORMAT_VERSION } from '../src/engine/store/snapshot.js';
import { start } from '../src/server.js';
import { useDataDir } from './data-dir.js';
import { basic } from './helpers.js';

let file: string;
useDataDir((_dir, f) => {
  file = f;
});

const fixture = new URL('fixtures/format-3.json', import.meta.url);
const answers = JSON.parse(readFileSync(new URL('fixtures/format-3.answers.json', import.meta.url), 'utf8')) as {
  client: string;
  url: string;
  body: unknown;
}[];

describe('a data file of format 3 (sequence-mock 0.1)', () => {
  it('is read as 0.1 wrote it: every read answers what 0.1 answered', async () => {
    expect(JSON.parse(readFileSync(fixture, 'utf8')).version).toBe(3);
    copyFileSync(fixture, file);
    const server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    try {
      for (const { client, url, body } of answers) {
        const res = await fetch(`${server.url}/api${url}`, { headers: { authorization: basic(client) } });
        expect({ url, status: res.status, body: await res.json() }).toEqual({ url, status: 200, body });
      }
    } finally {
      await server.close();
    }
  });

  it('is written back in the current format at a clean stop, and serves the same from it', async () => {
    copyFileSync(fixture, file);
    await (await start({ port: 0, logLevel: 'silent', dataFile: file })).close();
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data.version).toBe(FORMAT_VERSION);
    expect(Object.keys(data.partitions.alice.collections)).toEqual(
      expect.arrayContaining([
        '/customers',
        '/customers/{customer}/contacts',
        '/customer-aliases',
        '/customer-organizations',
        '/billing-schedules',
      ]),
    );
    const server = await start({ port: 0, logLevel: 'silent', dataFile: file });
    try {
      for (const { client, url, body } of answers) {
        const res = await fetch(`${server.url}/api${url}`, { headers: { authorization: basic(client) } });
        expect({ url, body: await res.json() }).toEqual({ url, body });
      }
    } finally {
      await server.close();
    }
  });
});
