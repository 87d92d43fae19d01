// At least once across a crash: a delivery pending when the server is killed (kill -9) is in the data
// file's journal, and the next server on that file sends it. The receiver is down at first, so the
// delivery cannot have gone before the kill; the signature is checked here with node:crypto.
import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useDataDir } from './data-dir.js';
import { basic, minimalRequest } from './helpers.js';
import { exited, startCli } from './process.js';

const AUTH = basic('hooks-durable');
let file: string;
useDataDir((_dir, f) => {
  file = f;
});

/** A port nothing listens on yet: taken from the system, then let go. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('webhook deliveries across a crash', () => {
  it('sends, after kill -9 and a restart on the same data file, what was pending', async () => {
    const port = await freePort();
    const env = { WEBHOOK_RETRY_MS: '2000' };
    const first = await startCli(['--data', file, '--log-level', 'debug'], env);
    const call = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const policy = await call(first.url, '/api/notifications/policies', {
      name: 'Crash',
      channel: 'WEBHOOK',
      recipients: [`http://127.0.0.1:${port}/hooks`],
      webhookSecret: 'whsec_crash',
    });
    expect(policy.status).toBe(201);
    const made = await call(first.url, '/api/customers', minimalRequest({ legalName: 'Survivor Ltd' }));
    expect(made.status).toBe(201);
    const id = ((await made.json()) as { id: string }).id;
    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBe('SIGKILL');

    // Now the receiver is up, and a new server starts on the same file.
    const got: { raw: string; signature: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ raw: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['sequence-signature']) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    const second = await startCli(['--data', file, '--log-level', 'debug'], env);
    try {
      for (const deadline = Date.now() + 15_000; got.length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
      expect(got.length).toBeGreaterThanOrEqual(1);
      const body = JSON.parse(got[0]!.raw);
      expect([body.notificationType, body.resourceId, body.resource.legalName]).toEqual(['CUSTOMER_CREATED', id, 'Survivor Ltd']);
      const [, t, s] = /^t=(\d+),s=([0-9a-f]+)$/.exec(got[0]!.signature)!;
      expect(s).toBe(createHmac('sha256', 'whsec_crash').update(`${t}.${got[0]!.raw}`).digest('hex'));
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
    // The secret is in no log line of either server, even at debug (read once the second has
    // stopped and flushed its log).
    expect(second.output()).toContain('sequence-mock ready');
    expect(first.output() + second.output()).not.toContain('whsec_crash');
  });
});
