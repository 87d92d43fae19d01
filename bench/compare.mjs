// `npm run bench`: sequence-mock against the fakes a team might pick instead (Stoplight Prism,
// WireMock with its journal on and off, Mockoon CLI: bench/peers.mjs) and a node:http ceiling, side
// by side in one run on this machine. Prints the tables and writes bench/results/compare.json.
//
// - sequence-mock: the production build as users run it (node with the flags of the bin's shebang,
//   which `npm start` and the image use too; default settings, default logging at info, to /dev/null
//   as a container's log driver would take it).
// - Prism 5.14.2 (`prism mock openapi.yaml -v silent`, its fastest), installed on demand into
//   bench/.prism (ignored by git), mocking the same openapi.yaml.
// - node:http ceiling (bench/ceiling.mjs): JSON parse, Map insert, JSON reply; no framework.
//
// Load: autocannon on loopback, at 10 and at 50 connections (BENCH_CONNECTIONS), each server pinned
// to one core and the load generator to the other (BENCH_PIN=0 to not pin), warm-up then 10 s
// measured, for POST /customers
// (the vendor page's request example) and GET /customers/{id}. Every round starts each server
// afresh, servers interleaved in a rotating order; the table shows medians over the rounds.
// POSTs spread over 500 client ids (as a CI fleet of test files would): the vendor example names a
// parent, and one partition taking every POST would grow one organization without bound. Each POST
// carries its own alias (the example's alias is replaced by a counter), as aliases are unique.
// Also: single-connection latency (sequential keep-alive requests, p50/p99), the first and the last
// GET operation of the document (route lookup must not grow with the document), cold start (spawn to
// first 201, median of 5), a second start() in the same process (a jest file starting its own fake),
// RSS idle and after the run, and sequence-mock's memory per stored customer at 100k (median of 3). With the
// floors (bench/stack-floor.mjs: express + express-openapi-validator configured and patched as the
// fake runs it, the same answering the document's Customer with its organization, and express alone:
// what the stack costs; BENCH_FLOOR=0 leaves them out), five rounds (BENCH_ROUNDS) take about 45
// minutes on this 2-core machine.
import autocannon from 'autocannon';
import { request as httpRequest, Agent } from 'node:http';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { freePort, installPrism, prismBin } from './prism.mjs';
import { installPeers, PEERS } from './peers.mjs';
// The fake's node flags; the floors get them too.
import { BENCH_CLIENTS, NODE_FLAGS, pinLoadGenerator, rotatingPost, spawnServer } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Five: with three, one round taken in a busy spell of this shared machine moved a median by half
// (docs/benchmarks.md, against WireMock).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTION_COUNTS = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
// One core for the server, the other for autocannon: neither steals the other's time (2 cores here).
const PIN = pinLoadGenerator(process.env.BENCH_PIN !== '0');

const spec = loadYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'), { schema: CORE_SCHEMA });
const example = JSON.stringify(
  spec.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value,
);
// An alias belongs to one customer per account: each POST gets its own, or all but the first are 400s.
const EXAMPLE_ALIAS = JSON.parse(example).customerAliases[0];
const basic = (id) => `Basic ${Buffer.from(`${id}:bench-secret`).toString('base64')}`;

const SERVERS = {
  // With the node flags the bin's shebang, `npm start` and the Dockerfile give it.
  'sequence-mock': (port) => [process.execPath, [...NODE_FLAGS, 'dist/cli.js', '--port', String(port)]],
  'prism -v silent': (port) => [prismBin, ['mock', 'openapi.yaml', '-p', String(port), '-h', '127.0.0.1', '-v', 'silent']],
  ...PEERS,
  'node:http ceiling': (port) => [process.execPath, ['bench/ceiling.mjs', String(port)]],
  // What express and express-openapi-validator cost alone (bench/stack-floor.mjs); BENCH_FLOOR=0 skips.
  ...(process.env.BENCH_FLOOR !== '0' && {
    'express + validator only': (port) => [process.execPath, [...NODE_FLAGS, 'bench/stack-floor.mjs', String(port)]],
    'express only': (port) => [process.execPath, [...NODE_FLAGS, 'bench/stack-floor.mjs', String(port), '--no-validator']],
    // The same floor answering what the document requires of these POSTs: the Customer with its
    // parent's organization, every member listed (the fake's answer grows the same way).
    'express + validator, documented answer': (port) => [
      process.execPath,
      [...NODE_FLAGS, 'bench/stack-floor.mjs', String(port), '--documented'],
    ],
  }),
};

const post = (url, auth = BENCH_CLIENTS[0]) =>
  fetch(`${url}/customers`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: example });

/** Spawns a server; resolves once it answers the vendor example with 201, and says how long that took. */
async function start(name) {
  const port = await freePort();
  const [command, args] = SERVERS[name](port);
  const started = process.hrtime.bigint();
  // The child's pid is the server's: its RSS is read from /proc.
  const child = spawnServer(command, args, PIN, root);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}`);
    try {
      const res = await post(url);
      await res.arrayBuffer();
      if (res.status === 201) break;
      throw new Error(`${name}: first POST answered ${res.status}`);
    } catch (err) {
      if (!String(err.cause?.code ?? '').startsWith('ECONNREFUSED')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return { child, url, coldMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function stop(server) {
  server.child.kill('SIGTERM');
  if (server.child.exitCode === null) await once(server.child, 'exit');
}

/** RSS in MB of the process (for Prism, of its node process: the bin is a node script). */
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

// One counter for the whole run: warm-up and measured runs of one server must not reuse an alias.
let n = 0;
/**
 * One autocannon load. Besides autocannon's own figures, its answers' latencies split in two: each
 * connection's first answer (a new connection waits to be accepted: libuv accepts one connection per
 * turn of a busy server's event loop, so the last of 50 new connections waits 50 turns), and every
 * answer after it (the steady tail). The bench's own event-loop delay is measured beside them: a
 * stall of the load generator shows in every server's latency.
 */
async function load(url, { method, path: urlPath, duration, rotate, auth, connections = 50 }) {
  const generator = monitorEventLoopDelay({ resolution: 5 });
  generator.enable();
  const steady = [];
  let firstMax = 0;
  const seen = new Set();
  const instance = autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method,
        path: urlPath,
        headers: { authorization: auth ?? BENCH_CLIENTS[0], 'content-type': 'application/json' },
        ...(method === 'POST' && { body: example }),
        ...(rotate && { setupRequest: rotatingPost({ example, alias: EXAMPLE_ALIAS }, () => (n += 1)) }),
      },
    ],
  });
  instance.on('response', (client, _status, _bytes, ms) => {
    if (seen.has(client)) steady.push(ms);
    else {
      seen.add(client);
      firstMax = Math.max(firstMax, ms);
    }
  });
  const result = await instance;
  generator.disable();
  steady.sort((a, b) => a - b);
  const at = (q) => (steady.length ? steady[Math.min(steady.length - 1, Math.floor(q * steady.length))] : 0);
  return { ...result, steady: { p50: at(0.5), p99: at(0.99), max: at(1) }, firstMax, generatorMaxMs: generator.max / 1e6 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function coldStarts(names) {
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < 5; i += 1) {
    for (const name of names) {
      const server = await start(name);
      times[name].push(server.coldMs);
      await stop(server);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]));
}

// The first and the last (parameterless) GET operation of Sequence's document: the same cost if the route lookup does
// not grow with the document (a list of an empty collection and an example answer; sequence-mock
// and Prism serve both, the ceiling and floors serve neither).
const vendorGets = Object.entries(spec.paths).flatMap(([p, item]) => (item.get ? [p] : []));
// Parameterless: a path under an item needs that item (a 404 otherwise), and the bench makes none.
const listGets = vendorGets.filter((p) => !p.includes('{'));
const FIRST_GET = listGets[0];
const LAST_GET = listGets.at(-1);
const SERVES_DOCUMENT = new Set(['sequence-mock', 'prism -v silent']);

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
/** One connection, one request at a time, as a test suite's client sends them: latency in µs. */
async function sequential(url, { method, path: urlPath, auth, rotate }, count) {
  const { hostname, port } = new URL(url);
  const times = [];
  for (let i = 0; i < count; i += 1) {
    n += 1;
    const body = method === 'POST' ? (rotate ? example.replace(EXAMPLE_ALIAS, `bench-alias-${n}`) : example) : undefined;
    const headers = { authorization: rotate ? BENCH_CLIENTS[n % BENCH_CLIENTS.length] : auth, 'content-type': 'application/json' };
    const began = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const req = httpRequest({ agent, hostname, port, method, path: urlPath, headers }, (res) => {
        res.resume();
        res.once('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${urlPath}: ${res.statusCode}`))));
      });
      req.once('error', reject);
      req.end(body);
    });
    times.push(Number(process.hrtime.bigint() - began) / 1000);
  }
  const sorted = times.sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
}

async function round(name) {
  const server = await start(name);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idleRss = rssMb(server.child.pid);
  // GET reads one customer made now, in a partition the POST load never touches.
  const created = await (await post(server.url, basic('bench-get'))).json();
  const get = { method: 'GET', path: `/customers/${created.id}`, auth: basic('bench-get') };
  const postLoad = { method: 'POST', path: '/customers', rotate: true };
  const summary = (r) => ({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    steadyP50: r.steady.p50,
    steadyP99: r.steady.p99,
    steadyMax: r.steady.max,
    firstMax: r.firstMax,
    generatorMax: r.generatorMaxMs,
    bad: r.non2xx + r.errors + r.timeouts,
    // Mean bytes per answer, headers included: the fake's and the documented floor's grow with the
    // organizations, a stub's stay fixed.
    answerBytes: r.requests.total ? r.throughput.total / r.requests.total : 0,
  });
  const loaded = {};
  for (const connections of CONNECTION_COUNTS) {
    await load(server.url, { ...postLoad, connections, duration: 2 });
    const posted = await load(server.url, { ...postLoad, connections, duration: SECONDS });
    await load(server.url, { ...get, connections, duration: 1 });
    const got = await load(server.url, { ...get, connections, duration: SECONDS });
    loaded[connections] = { post: summary(posted), get: summary(got) };
  }
  await sequential(server.url, postLoad, 200);
  const seqPost = await sequential(server.url, postLoad, 2000);
  await sequential(server.url, get, 200);
  const seqGet = await sequential(server.url, get, 2000);
  let ops;
  if (SERVES_DOCUMENT.has(name)) {
    const first = { method: 'GET', path: `/api${FIRST_GET}`, auth: basic('bench-ops') };
    const last = { method: 'GET', path: `/api${LAST_GET}`, auth: basic('bench-ops') };
    // Prism serves the document's server paths; sequence-mock serves both /api and /.
    if (name.startsWith('prism')) for (const o of [first, last]) o.path = o.path.slice('/api'.length);
    await load(server.url, { ...first, duration: 1 });
    await load(server.url, { ...last, duration: 1 });
    ops = {
      first: summary(await load(server.url, { ...first, duration: SECONDS / 2 })),
      last: summary(await load(server.url, { ...last, duration: SECONDS / 2 })),
    };
  }
  const afterRss = rssMb(server.child.pid);
  await stop(server);
  return { loaded, seqPost, seqGet, ops, idleRss, afterRss };
}

/** A second start() in one process, to its first 201 (as a jest file starting its own fake): ms, median of 5. */
function secondStarts() {
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    const out = execFileSync(process.execPath, ['bench/second-start.mjs'], { cwd: root, encoding: 'utf8' });
    times.push(JSON.parse(out).secondMs);
  }
  return median(times);
}

/** One reading of sequence-mock's memory per stored customer: RSS before and after seeding 100k (faker) customers. */
async function memoryReading() {
  const server = await start('sequence-mock');
  const auth = basic('bench-memory');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssMb(server.child.pid);
  for (let seed = 1; seed <= 10; seed += 1) {
    const res = await fetch(`${server.url}/__admin/seed`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 10_000, seed }),
    });
    if (res.status !== 201) throw new Error(`seed answered ${res.status}`);
    await res.arrayBuffer();
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssMb(server.child.pid);
  await stop(server);
  return { before, after, kbPerCustomer: ((after - before) * 1024) / 100_000 };
}

/**
 * The median of MEMORY_READINGS fresh servers: one server's RSS after the same 100k customers
 * scattered by 0.3-0.4 KB per customer between readings (2.97 to 3.41 for one build), where every
 * other figure here is a median of rounds.
 */
const MEMORY_READINGS = 3;
async function memoryPerCustomer() {
  const readings = [];
  for (let i = 0; i < MEMORY_READINGS; i += 1) readings.push(await memoryReading());
  const middle = [...readings].sort((a, b) => a.kbPerCustomer - b.kbPerCustomer)[(MEMORY_READINGS - 1) / 2];
  return { ...middle, readings: readings.map((r) => r.kbPerCustomer) };
}

installPrism();
installPeers(spec);
if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build');
const names = Object.keys(SERVERS);
const began = Date.now();
const cold = await coldStarts(names);
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  // Rotate who goes first, so no server always runs on the coolest (or hottest) machine.
  for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
    runs[name].push(await round(name));
    process.stderr.write(`round ${r + 1}/${ROUNDS}: ${name} done\n`);
  }
}
const memory = await memoryPerCustomer();
const secondStartMs = secondStarts();

const rows = names.map((name) => {
  const m = (pick) => median(runs[name].map(pick));
  const at = Object.fromEntries(
    CONNECTION_COUNTS.map((c) => [
      c,
      Object.fromEntries(
        ['post', 'get'].flatMap((kind) =>
          ['rps', 'p50', 'p99', 'max', 'steadyP50', 'steadyP99', 'steadyMax', 'firstMax', 'generatorMax', 'answerBytes'].map((key) => [
            `${kind}${key[0].toUpperCase()}${key.slice(1)}`,
            m((x) => x.loaded[c][kind][key]),
          ]),
        ),
      ),
    ]),
  );
  return {
    server: name,
    at,
    // The 50-connection figures under the names the earlier results used.
    postRps: at[CONNECTION_COUNTS.at(-1)].postRps,
    postP99: at[CONNECTION_COUNTS.at(-1)].postP99,
    getRps: at[CONNECTION_COUNTS.at(-1)].getRps,
    getP99: at[CONNECTION_COUNTS.at(-1)].getP99,
    coldStartMs: cold[name],
    idleRssMb: m((x) => x.idleRss),
    afterRssMb: m((x) => x.afterRss),
    seqPostP50: m((x) => x.seqPost.p50),
    seqPostP99: m((x) => x.seqPost.p99),
    seqGetP50: m((x) => x.seqGet.p50),
    seqGetP99: m((x) => x.seqGet.p99),
    ...(SERVES_DOCUMENT.has(name) && {
      firstGetRps: m((x) => x.ops.first.rps),
      lastGetRps: m((x) => x.ops.last.rps),
    }),
    errors: runs[name].reduce(
      (sum, x) =>
        sum + Object.values(x.loaded).reduce((s, l) => s + l.post.bad + l.get.bad, 0) + (x.ops ? x.ops.first.bad + x.ops.last.bad : 0),
      0,
    ),
  };
});
const row = (name) => rows.find((r) => r.server === name);
const [mock, prism, ceiling] = ['sequence-mock', 'prism -v silent', 'node:http ceiling'].map(row);
const floors = rows.filter((r) => r.server.startsWith('express'));
const peers = rows.filter((r) => r !== mock && !floors.includes(r) && r !== ceiling);
const f = (n, d = 0) => n.toFixed(d);
const pinning = PIN ? 'each server pinned to one core, the load generator to the other' : 'not pinned';
const lines = [
  `${ROUNDS} rounds, ${SECONDS} s measured per cell, ${pinning}; medians. ${new Date().toISOString()}, node ${process.version}`,
  '',
  ...CONNECTION_COUNTS.flatMap((c) => [
    `${c} connections (req/s; latency p50 / p99 / max ms; mean bytes per POST answer, headers included):`,
    '',
    '| server | POST req/s | POST p50 / p99 / max | POST answer bytes | GET req/s | GET p50 / p99 / max |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const a = r.at[c];
      return `| ${r.server} | ${f(a.postRps)} | ${a.postP50} / ${a.postP99} / ${a.postMax} | ${f(a.postAnswerBytes)} | ${f(a.getRps)} | ${a.getP50} / ${a.getP99} / ${a.getMax} |`;
    }),
    '',
    `| sequence-mock at ${c} connections | POST req/s | POST p99 | GET req/s | GET p99 |`,
    '| --- | --- | --- | --- | --- |',
    ...[...peers, ceiling, ...floors].map((o) => {
      const [a, b] = [mock.at[c], o.at[c]];
      return `| to ${o.server} | ${f(a.postRps / b.postRps, 2)}x | ${f(a.postP99 / b.postP99, 2)}x | ${f(a.getRps / b.getRps, 2)}x | ${f(a.getP99 / b.getP99, 2)}x |`;
    }),
    '',
    `The tail at ${c} connections, split (ms): each connection's answers after its first (steady p50 / p99 / max), the slowest first answer of a new connection, and the load generator's own event-loop delay (max) during the load:`,
    '',
    '| server | POST steady p50 / p99 / max | POST first answer max | POST generator max | GET steady p50 / p99 / max | GET first answer max | GET generator max |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const a = r.at[c];
      return `| ${r.server} | ${f(a.postSteadyP50, 1)} / ${f(a.postSteadyP99, 1)} / ${f(a.postSteadyMax)} | ${f(a.postFirstMax)} | ${f(a.postGeneratorMax)} | ${f(a.getSteadyP50, 1)} / ${f(a.getSteadyP99, 1)} / ${f(a.getSteadyMax)} | ${f(a.getFirstMax)} | ${f(a.getGeneratorMax)} |`;
    }),
    '',
  ]),
  '| server | cold start ms (spawn to first 201, median of 5) | RSS idle MB | RSS after MB | non-2xx/errors |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.server} | ${f(r.coldStartMs)} | ${f(r.idleRssMb)} | ${f(r.afterRssMb)} | ${r.errors} |`),
  '',
  '| sequence-mock ratio (50 connections) | POST req/s | POST p99 | GET req/s | GET p99 |',
  '| --- | --- | --- | --- | --- |',
  `| to the node:http ceiling | ${f(mock.postRps / ceiling.postRps, 2)}x | ${f(mock.postP99 / ceiling.postP99, 2)}x | ${f(mock.getRps / ceiling.getRps, 2)}x | ${f(mock.getP99 / ceiling.getP99, 2)}x |`,
  '',
  'Single connection, sequential keep-alive requests (µs):',
  '',
  '| server | POST p50 | POST p99 | GET p50 | GET p99 |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.server} | ${f(r.seqPostP50)} | ${f(r.seqPostP99)} | ${f(r.seqGetP50)} | ${f(r.seqGetP99)} |`),
  `| sequence-mock to Prism | ${f(mock.seqPostP50 / prism.seqPostP50, 2)}x | ${f(mock.seqPostP99 / prism.seqPostP99, 2)}x | ${f(mock.seqGetP50 / prism.seqGetP50, 2)}x | ${f(mock.seqGetP99 / prism.seqGetP99, 2)}x |`,
  '',
  `The document's first and last parameterless GET operation (GET ${FIRST_GET}, GET ${LAST_GET}), req/s:`,
  '',
  '| server | first | last | last / first |',
  '| --- | --- | --- | --- |',
  ...[mock, prism].map((r) => `| ${r.server} | ${f(r.firstGetRps)} | ${f(r.lastGetRps)} | ${f(r.lastGetRps / r.firstGetRps, 2)}x |`),
  '',
  ...floors
    .filter((fl) => fl.server.includes('validator'))
    .map(
      (fl) =>
        `sequence-mock's own work over ${fl.server}: POST ${f((fl.postRps / mock.postRps - 1) * 100)}%, GET ${f((fl.getRps / mock.getRps - 1) * 100)}% (time per request)`,
    ),
  `A second start() in the same process, to its first 201: ${f(secondStartMs)} ms (median of 5)`,
  `sequence-mock memory at 100k stored customers: ${f(memory.before)} MB -> ${f(memory.after)} MB RSS, ${f(memory.kbPerCustomer, 2)} KB per customer (median of ${MEMORY_READINGS} servers: ${memory.readings.map((kb) => f(kb, 2)).join(', ')})`,
  `(bench took ${f((Date.now() - began) / 1000)} s)`,
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', 'compare.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTION_COUNTS, pinned: PIN, rows, runs, memory, secondStartMs }, null, 2)}\n`,
);
