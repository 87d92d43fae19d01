// Write cost against store size, for the memory and the JSON-file store, side by side in one run:
// POST /customers p50/p99 latency and throughput with 0, 10k and 50k customers stored, and the
// longest event-loop stall while the load ran. Usage: npm run bench:store (after npm run build).
//
// Each cell is the built CLI as users run it (its own process, default logging to /dev/null), the
// store filled through POST /__admin/seed (faker, 10k a call), then autocannon on loopback:
// 10 connections, 1 s warm-up, 5 s measured. Bounded: about 2 minutes in all.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SIZES = [0, 10_000, 50_000];
const STORES = ['memory', 'file'];
const CONNECTIONS = 10;
const SECONDS = 5;
const auth = `Basic ${Buffer.from('bench:bench').toString('base64')}`;
const body = JSON.stringify({
  legalName: 'Bench Ltd',
  address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  taxStatus: 'TAXED',
  contacts: [{ name: 'Ann Bench', email: 'ann@bench.example', billingPreference: 'PRIMARY' }],
});

async function startServer(args) {
  const child = spawn(process.execPath, ['--import', './bench/loop-monitor.mjs', 'dist/cli.js', '--port', '0', '--no-fixtures', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stderrLines = [];
  child.stderr.on('data', (chunk) => stderrLines.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stdout.on('data', (chunk) => (out += chunk));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+) /.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderrLines.join('\n')}`)));
  });
  // Request logs go to stdout: drain them so the pipe never blocks the server.
  child.stdout.resume();
  const loopDelay = async () => {
    const before = stderrLines.length;
    child.kill('SIGUSR2');
    while (!stderrLines.slice(before).some((l) => l.includes('loopDelay'))) await new Promise((r) => setTimeout(r, 10));
    return JSON.parse(stderrLines.slice(before).find((l) => l.includes('loopDelay'))).loopDelay;
  };
  return { child, url, loopDelay };
}

async function fill(url, count) {
  for (let seed = 1; count > 0; seed += 1) {
    const n = Math.min(count, 10_000);
    const res = await fetch(`${url}/__admin/seed`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ count: n, seed }),
    });
    if (res.status !== 201) throw new Error(`seed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    count -= n;
  }
}

function load(url, duration) {
  return autocannon({
    url: `${url}/api/customers`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body,
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'sequence-mock-bench-'));
const rows = [];
try {
  for (const size of SIZES) {
    for (const store of STORES) {
      const args = store === 'file' ? ['--data', path.join(dir, `${size}.json`)] : [];
      const server = await startServer(args);
      await fill(server.url, size);
      await new Promise((r) => setTimeout(r, 1000)); // let a compaction started by the fill begin
      await load(server.url, 1);
      await server.loopDelay(); // reset: count stalls during the measured run only
      const result = await load(server.url, SECONDS);
      const stall = await server.loopDelay();
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
      const bad = result.non2xx + result.errors + result.timeouts;
      rows.push({
        store,
        stored: size,
        p50: result.latency.p50,
        p99: result.latency.p99,
        rps: result.requests.average,
        maxStallMs: stall.maxMs,
        bad,
      });
      process.stderr.write(`${store} @${size}: done\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const base = (store) => rows.find((r) => r.store === store && r.stored === 0);
console.log(`POST /customers, ${CONNECTIONS} connections, ${SECONDS} s per cell (latency ms)`);
console.log('| store | stored | p50 | p99 | req/s | p99 / p99 at 0 | longest loop stall (ms) | non-2xx or errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.store} | ${r.stored} | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${(r.p99 / base(r.store).p99).toFixed(2)} | ${r.maxStallMs.toFixed(1)} | ${r.bad} |`,
  );
}
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', 'store-writes.json'),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);
