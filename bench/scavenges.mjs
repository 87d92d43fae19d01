// `npm run bench:scavenges`: what sets GET's tail at 10 connections once the store holds customers.
// For each store (BENCH_STORES: a number is that many customers made by POST /__admin/seed before
// the load; `post:N` is N s of the bench's own POSTs at 10 connections, as `npm run bench` makes them
// before its GET load), a fresh server pinned as `npm run bench` pins it, with --trace-gc-nvp and
// bench/gc-monitor.mjs, answers GET /customers/{id} at 10 connections (2 s of warm-up, BENCH_SECONDS
// measured). Prints, per store:
// the heap's size in V8's 256 KB pages, the scavenges (how many, their median pause, and the
// part of it V8's own phases do not account for: walking the old generation's pages, below), GET's
// req/s and steady p50 / p99 (each connection's first answer left out, as the bench does), and how
// many of the slowest 1% of answers a scavenge fell in.
//
// Why it exists: a scavenge visits every page of the old generation to find the ones holding
// pointers into the young generation, and on this machine each visit costs about a microsecond. So
// the more a server keeps, the longer every scavenge pauses, whatever it is answering.
import autocannon from 'autocannon';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CLIENTS, firstCreated, median, NODE_FLAGS, pinLoadGenerator, rotatingPost, spawnServer, vendorExample } from './measure.mjs';
import { freePort } from './prism.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const STORES = (process.env.BENCH_STORES ?? '0,50000,100000,200000,post:12').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEED_BATCH = 10_000; // POST /__admin/seed's largest count
const PAGE = 256 * 1024; // V8's regular page
const pin = pinLoadGenerator();
const vendor = vendorExample(root);
const scratch = mkdtempSync(path.join(tmpdir(), 'sequence-mock-scavenges-'));

/** --trace-gc-nvp's name=value pairs, one object per scavenge line. */
function scavengeLines(lines) {
  return lines
    .filter((line) => line.includes(' gc=s '))
    .map((line) => Object.fromEntries([...line.matchAll(/([\w.]+)=(-?[\d.]+)/g)].map(([, k, v]) => [k, Number(v)])));
}

/** The GC monitor's JSON, once it has written it whole (it writes on SIGUSR2). */
async function written(file) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not there yet, or not whole yet
    }
  }
  throw new Error('the GC monitor wrote nothing');
}

async function measure(store) {
  const postSeconds = store.startsWith('post:') ? Number(store.slice(5)) : 0;
  const seeded = postSeconds ? 0 : Number(store);
  const port = await freePort();
  const trace = path.join(scratch, `trace-${store.replace(':', '-')}.txt`);
  const pausesFile = path.join(scratch, `pauses-${store.replace(':', '-')}.json`);
  const out = openSync(trace, 'w');
  const flags = [...NODE_FLAGS, '--trace-gc-nvp', '--import', './bench/gc-monitor.mjs'];
  const child = spawnServer(process.execPath, [...flags, 'dist/cli.js', '--port', String(port)], pin, root, {
    env: { ...process.env, GC_MONITOR_OUT: pausesFile },
    stdio: ['ignore', out, 'ignore'],
  });
  closeSync(out); // the server holds its own copy
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${btoa('scavenges:secret')}`;
  try {
    const created = await firstCreated(() =>
      fetch(`${url}/api/customers`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: vendor.example,
      }),
    );
    for (let seed = 1; seed * SEED_BATCH <= seeded; seed += 1) {
      const res = await fetch(`${url}/__admin/seed`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa('scavenges-store:secret')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count: SEED_BATCH, seed }),
      });
      if (res.status !== 201) throw new Error(`seed answered ${res.status}`);
      await res.arrayBuffer();
    }
    let posted = 0;
    let count = 0;
    if (postSeconds) {
      const load = await autocannon({
        url,
        connections: 10,
        duration: postSeconds,
        requests: [
          {
            method: 'POST',
            path: '/api/customers',
            headers: { authorization: BENCH_CLIENTS[0], 'content-type': 'application/json' },
            body: vendor.example,
            setupRequest: rotatingPost(vendor, () => (count += 1)),
          },
        ],
      });
      posted = load['2xx'];
    }
    const request = { method: 'GET', path: `/api/customers/${created.id}`, headers: { authorization: auth } };
    await autocannon({ url, connections: 10, duration: 2, requests: [request] });
    // The monitor writes the pauses so far and starts afresh; once that file is there it is removed,
    // so the one read after the load is the load's own.
    child.kill('SIGUSR2');
    await written(pausesFile);
    rmSync(pausesFile);
    const traceLinesBefore = readFileSync(trace, 'utf8').split('\n').length;
    const answers = []; // [sent, received] in epoch ms, steady answers only
    const seen = new Set();
    const load = autocannon({ url, connections: 10, duration: SECONDS, requests: [request] });
    load.on('response', (client, _status, _bytes, ms) => {
      const received = performance.timeOrigin + performance.now();
      if (seen.has(client)) answers.push([received - ms, received]);
      else seen.add(client);
    });
    const result = await load;
    child.kill('SIGUSR2');
    const pauses = await written(pausesFile);
    const scavenges = scavengeLines(readFileSync(trace, 'utf8').split('\n').slice(traceLinesBefore));
    const latencies = answers.map(([sent, received]) => received - sent).sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    const p99 = at(0.99);
    const slowest = answers.filter(([sent, received]) => received - sent >= p99);
    const scavengePauses = pauses.filter(([, , kind]) => kind === 'scavenge');
    const inScavenge = slowest.filter(([sent, received]) =>
      scavengePauses.some(([start, ms]) => start < received && start + ms > sent),
    ).length;
    return {
      store: postSeconds ? `${postSeconds} s of POSTs (${posted})` : String(seeded),
      // The whole heap before each scavenge: the old generation's pages and the young generation's few.
      pages: Math.round(median(scavenges.map((s) => s.total_size_before)) / PAGE),
      scavengesPerSecond: scavenges.length / SECONDS,
      pause: median(scavenges.map((s) => s.pause)),
      unaccounted: median(scavenges.map((s) => s.scavenge - s['scavenge.parallel'] - s['scavenge.roots'])),
      markCompacts: pauses.filter(([, , kind]) => kind === 'mark-compact').length,
      rps: result.requests.average,
      p50: at(0.5),
      p99,
      inScavenge: inScavenge / slowest.length,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const rows = [];
try {
  for (const store of STORES) rows.push(await measure(store));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const f = (n, digits = 1) => n.toFixed(digits);
console.log(
  [
    `GET /customers/{id} at 10 connections, ${SECONDS} s, node ${NODE_FLAGS.join(' ')}${pin ? ', server pinned to core 1' : ''}:`,
    '',
    '| customers stored before the load | heap, in 256 KB pages | scavenges / s | scavenge pause, median ms | of it, outside the phases V8 names (the page walk) | mark-compacts | GET req/s | steady p50 / p99 ms | p99 / p50 | slowest 1% a scavenge fell in |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.store} | ${r.pages} | ${f(r.scavengesPerSecond)} | ${f(r.pause, 2)} | ${f(r.unaccounted, 2)} | ${r.markCompacts} | ${Math.round(r.rps)} | ${f(r.p50, 2)} / ${f(r.p99, 2)} | ${f(r.p99 / r.p50, 2)}x | ${f(100 * r.inScavenge, 0)}% |`,
    ),
  ].join('\n'),
);
