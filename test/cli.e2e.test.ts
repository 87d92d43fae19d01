// The built CLI as a user runs it: a real process on a free port, driven over HTTP.
// Needs `npm run build` first (npm test does it).
import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { vendorExample } from './helpers.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, exited, runCli, startCli } from './process.js';

const AUTH = `Basic ${Buffer.from('e2e-client:e2e-very-secret').toString('base64')}`;

describe('sequence-mock CLI', () => {
  it('serves the vendor example, health, and stops cleanly on SIGTERM; credentials never reach the log', async () => {
    const { child, url, output } = await startCli(['--log-level', 'info']);
    const health = await fetch(`${url}/__admin/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);

    const created = await fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(vendorExample()),
    });
    expect(created.status).toBe(201);
    const customer = (await created.json()) as { id: string; organizations: { owner: { name: string } }[] };
    expect(customer.organizations[0]!.owner.name).toBe('FinTech Solutions Inc.');

    const read = await fetch(`${url}/customers/${customer.id}`, { headers: { Authorization: AUTH } });
    expect([read.status, ((await read.json()) as { id: string }).id]).toEqual([200, customer.id]);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output()).toContain('"msg":"request completed"');
    expect(output()).not.toContain('e2e-very-secret');
    expect(output()).not.toContain(AUTH.slice('Basic '.length));
  });

  it('--no-fixtures starts partitions empty', async () => {
    const { child, url } = await startCli(['--no-fixtures', '--log-level', 'silent']);
    const res = await fetch(`${url}/customers/50af5191-05a3-42a5-802a-6b59091157af`, { headers: { Authorization: AUTH } });
    expect(res.status).toBe(404);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('FIXTURES=false does the same from the environment', async () => {
    const { child, url } = await startCli(['--log-level', 'silent'], { FIXTURES: 'false' });
    const res = await fetch(`${url}/customers/50af5191-05a3-42a5-802a-6b59091157af`, { headers: { Authorization: AUTH } });
    expect(res.status).toBe(404);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('SEQUENCE_MOCK_CREDENTIALS restricts the accepted credentials', async () => {
    const { child, url } = await startCli(['--log-level', 'silent'], { SEQUENCE_MOCK_CREDENTIALS: 'ci:ci-secret' });
    const wrong = await fetch(`${url}/customers/x`, { headers: { Authorization: AUTH } });
    const right = await fetch(`${url}/customers/x`, {
      headers: { Authorization: `Basic ${Buffer.from('ci:ci-secret').toString('base64')}` },
    });
    expect([wrong.status, right.status]).toEqual([401, 404]);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it.each([
    [['--port', 'eighty'], '--port must be a port number'],
    [['--log-level', 'loud'], '--log-level must be one of'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['--seed', 'many'], '--seed must be COUNT or COUNT:SEED'],
    [['--max-partitions', '0'], '--max-partitions must be a whole number from 1'],
    [['--journal-size=-1'], '--journal-size must be a whole number'],
  ])('exits 2 with a clear message for %p', async (args, message) => {
    const { code, out } = await runCli(args);
    expect(code).toBe(2);
    expect(out).toContain(message);
  });

  it('--seed 5:2 gives every new partition the same 5 faker customers', async () => {
    const { child, url } = await startCli(['--seed', '5:2', '--no-fixtures', '--log-level', 'silent']);
    const lists = await Promise.all(
      ['p', 'q'].map(async (id) => {
        const res = await fetch(`${url}/customers`, { headers: { Authorization: `Basic ${Buffer.from(`${id}:s`).toString('base64')}` } });
        return res.json();
      }),
    );
    expect((lists[0] as { items: unknown[] }).items).toHaveLength(5);
    expect(lists[1]).toEqual(lists[0]);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('exits 2 for a bad environment value', async () => {
    const { code, out } = await runCli([], { PORT: '99999' });
    expect(code).toBe(2);
    expect(out).toContain('PORT must be a port number');
  });

  it('prints --help and --version', async () => {
    const help = await runCli(['--help']);
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('Usage: sequence-mock')]);
    const version = await runCli(['--version']);
    expect([version.code, version.out.trim()]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  });

  it('runs with the same node flags wherever it is started: through the bin (its shebang), npm start and the image', async () => {
    const FLAG = '--max-semi-space-size=8 --single-threaded-gc --no-allocation-site-pretenuring';
    const shebang = readFileSync(CLI, 'utf8').split('\n')[0]!;
    expect(shebang).toBe(`#!/usr/bin/env -S node ${FLAG}`);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.start).toBe(`node ${FLAG} dist/cli.js`);
    expect(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')).toContain(
      `CMD ["node", ${FLAG.split(' ')
        .map((flag) => `"${flag}"`)
        .join(', ')}, "dist/cli.js"]`,
    );
    // The shebang as the kernel runs it: env splits it, node takes the flag.
    const [command, ...args] = shebang.slice(2).split(' ');
    const child = spawn(command!, [...args, CLI, '--version']);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const [code] = await once(child, 'exit');
    expect([code, out.trim()]).toEqual([0, pkg.version]);
  });
});

describe('log format', () => {
  const createOne = (url: string) =>
    fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(vendorExample()),
    });
  const logLines = (out: string) => out.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('sequence-mock listening on'));

  it('is one JSON object per line when stdout is not a terminal (a pipe, CI, a container)', async () => {
    const { child, url, output } = await startCli(['--log-level', 'info']);
    expect((await createOne(url)).status).toBe(201);
    child.kill('SIGTERM');
    await exited(child);
    const lines = logLines(output()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request completed', method: 'POST', url: '/api/customers', statusCode: 201, clientId: 'e2e-client' }),
    );
  });

  it('keeps every line whole and in order across batches (400 requests, about 80 KB of lines)', async () => {
    const { child, url, output } = await startCli(['--log-level', 'info']);
    const auth = { Authorization: AUTH };
    for (let i = 0; i < 400; i += 1) expect((await fetch(`${url}/customers/missing-${i}`, { headers: auth })).status).toBe(404);
    child.kill('SIGTERM');
    await exited(child);
    const lines = logLines(output()).map((line) => JSON.parse(line) as Record<string, unknown>);
    const urls = lines.filter((line) => line.msg === 'request completed').map((line) => line.url);
    expect(urls).toEqual(Array.from({ length: 400 }, (_, i) => `/customers/missing-${i}`));
  });

  it('writes a request line while the server runs on, not only at exit (lines are batched, flushed every 100 ms)', async () => {
    const { child, url, output } = await startCli(['--log-level', 'info']);
    expect((await createOne(url)).status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!output().includes('"request completed"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(child.exitCode).toBeNull();
    expect(logLines(output()).map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ msg: 'request completed', method: 'POST', statusCode: 201 }),
    );
    child.kill('SIGTERM');
    await exited(child);
  });

  it('--log-format pretty: a readable line per request, credentials still out of it', async () => {
    const { child, url, output } = await startCli(['--log-format', 'pretty']);
    expect((await createOne(url)).status).toBe(201);
    child.kill('SIGTERM');
    await exited(child);
    expect(output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/api\/customers 201 [\d.]+ ms client=e2e-client req=[\w-]+$/m);
    expect(logLines(output()).filter((line) => line.startsWith('{'))).toEqual([]);
    expect(output()).not.toContain('e2e-very-secret');
  });

  it("is pretty by default on a terminal (under script(1)'s pseudo-terminal)", async () => {
    const child = spawn('script', ['-qec', `timeout -s TERM 5 "${process.execPath}" "${CLI}" --port 0`, '/dev/null']);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+) /.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`exited before listening: ${out}`)));
    });
    expect((await createOne(url)).status).toBe(201);
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    // eslint-disable-next-line no-control-regex -- colours are what a terminal gets; strip them to read the text
    const plain = out.replace(/\u001b\[[\d;]*m/g, '');
    expect(plain).toMatch(/INFO: POST \/api\/customers 201 [\d.]+ ms client=e2e-client/);
    expect(plain).not.toContain('"msg":');
  }, 15_000);

  it('exits 2 for an unknown format, from a flag or LOG_FORMAT', async () => {
    const flag = await runCli(['--log-format', 'xml']);
    expect([flag.code, flag.out]).toEqual([2, expect.stringContaining('--log-format must be one of json, pretty, auto, got "xml"')]);
    const env = await runCli([], { LOG_FORMAT: 'yaml' });
    expect([env.code, env.out]).toEqual([2, expect.stringContaining('LOG_FORMAT must be one of json, pretty, auto, got "yaml"')]);
  });
});
