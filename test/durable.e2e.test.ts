// The JSON-file store in a real process: kill -9 during a burst of writes, refusal of bad data
// files and of a second server, and a clean stop on SIGTERM/SIGINT with requests in flight.
import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useDataDir } from './data-dir.js';
import { FORMAT_VERSION } from '../src/engine/store/snapshot.js';
import { basic, minimalRequest } from './helpers.js';
import { CLI, exited, runCli, startCli } from './process.js';

const AUTH = basic('durable-e2e');
let dir: string;
let file: string;
useDataDir((d, f) => {
  dir = d;
  file = f;
});

const create = (url: string, legalName: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/customers`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(minimalRequest({ legalName })),
  });

/** Polls `check` every 20 ms until it holds; fails after 10 s. */
async function until(check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check();) {
    if (Date.now() > deadline) throw new Error(`still not so after 10 s: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a crash (kill -9)', () => {
  it('loses no customer that was answered 201, and leaves a data file that parses', async () => {
    const first = await startCli(['--data', file, '--log-level', 'silent']);
    const acknowledged = new Map<string, string>();
    let stop = false;
    // 16 clients creating as fast as they can; the process is killed while they are mid-flight.
    const clients = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; !stop; i += 1) {
        const legalName = `Burst ${c}-${i}`;
        try {
          const res = await create(first.url, legalName);
          if (res.status === 201) acknowledged.set(((await res.json()) as { id: string }).id, legalName);
        } catch {
          return; // the connection died with the process: not acknowledged
        }
      }
    });
    while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBe('SIGKILL');
    stop = true;
    await Promise.all(clients);

    const second = await startCli(['--data', file, '--log-level', 'silent']);
    const missing: string[] = [];
    for (const [id, legalName] of acknowledged) {
      const res = await fetch(`${second.url}/customers/${id}`, { headers: { Authorization: AUTH } });
      const body = (await res.json()) as { legalName?: string };
      if (res.status !== 200 || body.legalName !== legalName) missing.push(id);
    }
    expect({ acknowledged: acknowledged.size >= 300, missing }).toEqual({ acknowledged: true, missing: [] });
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    const customers = JSON.parse(readFileSync(file, 'utf8')).partitions['durable-e2e'].collections['/customers'] as { id: string }[];
    const stored = new Set(customers.map((c) => c.id));
    expect([...acknowledged.keys()].filter((id) => !stored.has(id))).toEqual([]);
  }, 60_000);
});

describe('a data file the server must not start on', () => {
  const valid = JSON.stringify({ format: 'sequence-mock', version: 1, partitions: { p: { customers: [], organizations: [] } } }, null, 2);
  it.each([
    ['truncated', valid.slice(0, valid.length / 2), 'it is not valid JSON'],
    ['empty', '', 'it is empty (truncated?)'],
    ['not JSON', 'hello, world\n', 'it is not valid JSON'],
    ['of the wrong shape', '{"customers": []}', "it is not a sequence-mock data file: / must have required property 'format'"],
    [
      'with a bad record',
      JSON.stringify({ format: 'sequence-mock', version: 1, partitions: { p: { customers: [{ id: 'x' }], organizations: [] } } }),
      "it is not a sequence-mock data file: /partitions/p/customers/0 must have required property 'createdAt'",
    ],
    [
      'from a newer version',
      JSON.stringify({ format: 'sequence-mock', version: 99, partitions: {} }),
      `it is format version 99, from a newer sequence-mock (this one reads up to ${FORMAT_VERSION})`,
    ],
  ])('is refused when %s: exit 1, a message naming the file and the problem, the file unchanged', async (_, content, problem) => {
    writeFileSync(file, content);
    const { code, out } = await runCli(['--data', file, '--port', '0']);
    expect(code).toBe(1);
    expect(out).toContain(`cannot use data file ${file}: ${problem}`);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('is refused when its directory does not exist', async () => {
    const { code, out } = await runCli(['--data', path.join(dir, 'missing', 'db.json'), '--port', '0']);
    expect(code).toBe(1);
    expect(out).toContain('does not exist');
  });
});

describe('one server per data file', () => {
  it('refuses a second server while the first runs, leaving the file and the first server alone', async () => {
    const first = await startCli(['--data', file, '--log-level', 'silent']);
    expect((await create(first.url, 'Kept')).status).toBe(201);
    const before = readFileSync(file, 'utf8');
    const second = await runCli(['--data', file, '--port', '0'], { DATA_FILE: file });
    expect(second.code).toBe(1);
    expect(second.out).toContain(`another sequence-mock (pid ${first.child.pid}) is using ${file}; stop it first`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await create(first.url, 'Still serving')).status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
  });

  it('takes over the lock of a server that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${file}.lock`, dead);
    const server = await startCli(['--log-level', 'silent'], { DATA_FILE: file });
    expect((await create(server.url, 'After a crash')).status).toBe(201);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over the lock of a server killed but not yet reaped (a zombie)', async () => {
    // The server's parent execs into sleep, which never reaps it: after kill -9 it stays a zombie,
    // still answering kill(pid, 0), as in the moment after `kill -9` of a process group.
    const parent = spawn('sh', [
      '-c',
      `"${process.execPath}" "${CLI}" --port 0 --log-level silent --data "${file}" & echo $!; exec sleep 60`,
    ]);
    try {
      const pid = Number((await once(parent.stdout, 'data'))[0].toString().trim());
      await until(() => existsSync(`${file}.lock`) && readFileSync(`${file}.lock`, 'utf8') === String(pid));
      process.kill(pid, 'SIGKILL');
      await until(() => /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')));
      const server = await startCli(['--log-level', 'silent'], { DATA_FILE: file });
      expect((await create(server.url, 'After a kill -9')).status).toBe(201);
      server.child.kill('SIGTERM');
      expect(await exited(server.child)).toBe(0);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

describe('stopping', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s: finishes the request in flight, keeps it, exits 0 within 5 s', async (signal) => {
    const server = await startCli(['--data', file, '--log-level', 'silent']);
    const inFlight = create(server.url, `In flight at ${signal}`, { Prefer: 'delay=500' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const sent = Date.now();
    server.child.kill(signal);
    const res = await inFlight;
    const created = (await res.json()) as { id: string };
    expect(res.status).toBe(201);
    expect(await exited(server.child)).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5000);

    const again = await startCli(['--data', file, '--log-level', 'silent']);
    const read = await fetch(`${again.url}/customers/${created.id}`, { headers: { Authorization: AUTH } });
    expect(read.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  });
});

describe('a data file that stops taking writes (file-size limit reached)', () => {
  it('answers changes 503 from then on, keeps serving reads, and loses nothing it acknowledged', async () => {
    // bash's `ulimit -f 64`: the journal cannot grow past 64 KiB, as on a full disk.
    const child = spawn('bash', ['-c', `ulimit -f 64; exec "${process.execPath}" "${CLI}" --port 0 --log-level silent --data "${file}"`]);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    while (!/listening on (http:\S+) /.test(out)) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /listening on (http:\S+) /.exec(out)![1]!;
    const acknowledged: string[] = [];
    let refused: { status: number; body: { error: { message: string } } } | undefined;
    for (let i = 0; i < 400 && !refused; i += 1) {
      const res = await create(url, `Customer ${i} ${'x'.repeat(300)}`);
      if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
      else refused = { status: res.status, body: (await res.json()) as { error: { message: string } } };
    }
    expect(refused).toEqual({
      status: 503,
      body: {
        error: expect.objectContaining({
          type: 'DataFileUnavailable',
          message: expect.stringContaining('The data file cannot be written'),
        }),
      },
    });
    expect((await create(url, 'After the failure')).status).toBe(503);
    const read = await fetch(`${url}/customers/${acknowledged[0]}`, { headers: { Authorization: AUTH } });
    expect(read.status).toBe(200);
    child.kill('SIGKILL');
    await exited(child);

    const again = await startCli(['--data', file, '--log-level', 'silent']);
    const missing = [];
    for (const id of acknowledged)
      if ((await fetch(`${again.url}/customers/${id}`, { headers: { Authorization: AUTH } })).status !== 200) missing.push(id);
    expect({ acknowledged: acknowledged.length > 10, missing }).toEqual({ acknowledged: true, missing: [] });
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  }, 30_000);
});
