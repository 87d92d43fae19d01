// Load and soak against the built CLI in its own process, on loopback, bounded in count and time.
// - 1,000 concurrent connections creating customers under one parent: all 201, no child lost.
// - A soak at full rate (SOAK_SECONDS, 5 s in CI; SOAK_SECONDS=60 for the long one): no error
//   responses, and RSS stays flat once warm, since the journal is a ring buffer and logs go out.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { basic, minimalRequest } from './helpers.js';
import { exited, startCli } from './process.js';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 5);

/** One request on its own connection (no keep-alive): resolves to status and parsed body. */
function send(
  url: string,
  agent: Agent,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${url}${path}`,
      { method, agent, headers: { authorization: auth, ...(payload && { 'content-type': 'application/json' }) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('under load', () => {
  it('creates 1,000 children of one parent over 1,000 concurrent connections: all 201, none lost', async () => {
    const { child, url } = await startCli(['--log-level', 'warn', '--no-fixtures']);
    const auth = basic('load-parent');
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const parent = await send(url, agent, 'POST', '/customers', auth, minimalRequest({ legalName: 'Parent of a thousand' }));
    expect(parent.status).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        send(url, agent, 'POST', '/api/customers', auth, minimalRequest({ legalName: `Child ${i}`, parentId: parent.body.id })),
      ),
    );
    expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    const ids = new Set(results.map((r) => r.body.id as string));
    expect(ids.size).toBe(1000);

    const owner = await send(url, agent, 'GET', `/customers/${parent.body.id}`, auth);
    const members = owner.body.organizations[0].members.map((m: { id: string }) => m.id);
    expect(members).toHaveLength(1000);
    expect(new Set(members)).toEqual(ids);
    agent.destroy();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it(
    `soaks at full rate for ${SOAK_SECONDS} s with no error responses and flat memory`,
    async () => {
      const { child, url } = await startCli(['--log-level', 'info', '--journal-size', '1000']);
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const deadline = Date.now() + SOAK_SECONDS * 1000;
      const statuses = new Map<number, number>();
      const rss: number[] = [];
      const sampler = setInterval(() => rss.push(rssMb(child.pid!)), 250);
      let requests = 0;
      // 32 clients, each in its own partition: create, read, list, and reset every 50 creates, so
      // what is stored stays bounded and any growth in RSS would be a leak.
      await Promise.all(
        Array.from({ length: 32 }, async (_, c) => {
          const auth = basic(`soak-${c}`);
          for (let i = 0; Date.now() < deadline; i += 1) {
            const created = await send(
              url,
              agent,
              'POST',
              '/customers',
              auth,
              minimalRequest({ legalName: `Soak ${c}-${i}`, customerAliases: [`soak-${c}-${i}`] }),
            );
            const read = await send(url, agent, 'GET', `/customers/${created.body.id}`, auth);
            const list = await send(url, agent, 'GET', '/customers?limit=10', auth);
            for (const { status } of [created, read, list]) statuses.set(status, (statuses.get(status) ?? 0) + 1);
            requests += 3;
            if (i % 50 === 49) await send(url, agent, 'POST', '/__admin/reset', auth);
          }
        }),
      );
      clearInterval(sampler);
      agent.destroy();
      const journal = (await (await fetch(`${url}/__admin/requests?limit=1`)).json()) as { size: number };
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);

      expect(Object.fromEntries(statuses)).toEqual({ 200: expect.any(Number), 201: expect.any(Number) });
      expect(journal.size).toBeLessThanOrEqual(1000);
      // Flat once warm: the last quarter's peak is within 30% (plus 15 MB of GC slack) of the peak
      // of the second quarter.
      const quarter = Math.floor(rss.length / 4);
      const warm = Math.max(...rss.slice(quarter, 2 * quarter));
      const late = Math.max(...rss.slice(3 * quarter));
      process.stdout.write(`soak: ${requests} requests in ${SOAK_SECONDS} s, RSS warm ${warm.toFixed(0)} MB, late ${late.toFixed(0)} MB\n`);
      expect(late).toBeLessThanOrEqual(warm * 1.3 + 15);
    },
    (SOAK_SECONDS + 30) * 1000,
  );
});
