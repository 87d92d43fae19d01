// Two builds of sequence-mock side by side: does a change cost anything? Each round starts one
// build's CLI (timing spawn to its first 201: the cold start), loads it with POST /customers then GET
// /customers/{id} (50 connections, 4 s each after 1 s of warm-up), and reads the server process's CPU
// time from /proc; rounds alternate the builds. Then each build's memory per stored customer (100k
// generated: RSS, and the JS heap after full collections, the steadier figure). Prints medians:
// req/s, CPU µs per request, cold start, and B over A.
// CPU per request is the steadier figure on a noisy machine (req/s swings ±15% between runs).
// usage: npm run build && node bench/ab.mjs <dir of build A> <dir of build B> [rounds, default 7]
//        (a dir is a checkout with dist/ built, e.g. a git worktree of the commit before the change)
//        Servers run with --log-level silent; BENCH_LOG_LEVEL=info runs them with the default log line.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpuPerRequest, firstCreated, loads, median, startCli, startTimed, vendorExample } from './measure.mjs';
// A free port per start: a fixed one can be held by one of the load's own client sockets (an
// ephemeral port), and the server would fail to listen.
import { freePort } from './prism.mjs';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node bench/ab.mjs <build dir A> <build dir B> [rounds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 7);
const vendor = vendorExample(b);
const auth = `Basic ${btoa('ab:secret')}`;

async function measure(dir, port) {
  const { child, url, created, coldMs } = await startTimed(dir, port, vendor, auth);
  const results = [];
  for (const request of loads(vendor, auth, created.id, 'ab')) results.push(await cpuPerRequest(url, child.pid, request, 4, dir));
  child.kill();
  await once(child, 'exit');
  return [...results, { coldMs }];
}

/** RSS per stored customer: before and after 100k generated customers (POST /__admin/seed, 10 x 10k). */
async function memoryPerCustomer(dir, port) {
  const child = startCli(dir, port);
  const url = `http://127.0.0.1:${port}`;
  const memoryAuth = `Basic ${btoa('ab-memory:secret')}`;
  const seed = (n) =>
    fetch(`${url}/__admin/seed`, {
      method: 'POST',
      headers: { authorization: memoryAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ count: n === 0 ? 1 : 10_000, seed: n + 1 }),
    });
  await firstCreated(() => seed(0));
  const rss = () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rss();
  for (let n = 1; n <= 10; n += 1) {
    const res = await seed(n);
    if (res.status !== 201) throw new Error(`${dir}: seed answered ${res.status}`);
    await res.arrayBuffer();
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const kb = ((rss() - before) * 1024) / 100_000;
  child.kill();
  await once(child, 'exit');
  return kb;
}

const runs = { [a]: [], [b]: [] };
for (let i = 0; i < rounds; i += 1) for (const dir of i % 2 ? [b, a] : [a, b]) runs[dir].push(await measure(dir, await freePort()));
const m = (dir, which, key) => median(runs[dir].map((r) => r[which][key]));
for (const [label, dir] of [
  ['A', a],
  ['B', b],
]) {
  process.stdout.write(
    `${label} ${dir}: POST ${m(dir, 0, 'rps').toFixed(0)} req/s, ${m(dir, 0, 'cpu').toFixed(0)} µs CPU/request; GET ${m(dir, 1, 'rps').toFixed(0)} req/s, ${m(dir, 1, 'cpu').toFixed(0)} µs CPU/request\n`,
  );
}
const cold = (dir) => median(runs[dir].map((r) => r[2].coldMs));
process.stdout.write(
  `cold start (spawn to first 201): A ${cold(a).toFixed(0)} ms, B ${cold(b).toFixed(0)} ms, B/A ${(cold(b) / cold(a)).toFixed(3)}\n`,
);
const memA = await memoryPerCustomer(a, await freePort());
const memB = await memoryPerCustomer(b, await freePort());
process.stdout.write(
  `memory per stored customer at 100k (RSS, swings ±0.3 KB run to run): A ${memA.toFixed(2)} KB, B ${memB.toFixed(2)} KB, B/A ${(memB / memA).toFixed(3)}\n`,
);
const storedHeap = (dir) =>
  JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', new URL('stored-heap.mjs', import.meta.url).pathname, dir], { encoding: 'utf8' }),
  ).kb;
const heapA = storedHeap(a);
const heapB = storedHeap(b);
process.stdout.write(
  `JS heap per stored customer at 100k, after full GC: A ${heapA.toFixed(3)} KB, B ${heapB.toFixed(3)} KB, B/A ${(heapB / heapA).toFixed(3)}\n`,
);
process.stdout.write(
  `B/A CPU per request: POST ${(m(b, 0, 'cpu') / m(a, 0, 'cpu')).toFixed(3)}, GET ${(m(b, 1, 'cpu') / m(a, 1, 'cpu')).toFixed(3)}; req/s: POST ${(m(b, 0, 'rps') / m(a, 0, 'rps')).toFixed(3)}, GET ${(m(b, 1, 'rps') / m(a, 1, 'rps')).toFixed(3)} (medians of ${rounds} alternating rounds)\n`,
);
