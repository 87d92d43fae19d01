// `npm run bench`: sequence-mock against Stoplight Prism and a node:http ceiling, side by side in
// one run on this machine. Prints one table and writes bench/results/compare.json.
//
// - sequence-mock: the production build as users run it (`node dist/cli.js`, default settings,
//   default logging at info, to /dev/null as a container's log driver would take it).
// - Prism 5.14.2 (`prism mock openapi.yaml -v silent`, its fastest), installed on demand into
//   bench/.prism (ignored by git), mocking the same openapi.yaml.
// - node:http ceiling (bench/ceiling.mjs): JSON parse, Map insert, JSON reply; no framework.
//
// Load: autocannon on loopback, 50 connections, warm-up then 10 s measured, for POST /customers
// (the vendor page's request example) and GET /customers/{id}. Every round starts each server
// afresh, servers interleaved in a rotating order; the table shows medians over the rounds.
// POSTs spread over 500 client ids (as a CI fleet of test files would): the vendor example names a
// parent, and one partition taking every POST would grow one organization without bound. Each POST
// carries its own alias (the example's alias is replaced by a counter), as aliases are unique.
// Also: cold start (spawn to first 201, median of 5), RSS idle and after the run, and sequence-mock's
// memory per stored customer at 100k. Bounded: about 4 minutes (6 with BENCH_FLOOR=1, which adds
// express + express-openapi-validator alone, and express alone, to show what the stack costs).
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const PRISM_VERSION = '5.14.2';
const prismDir = path.join(root, 'bench', '.prism');
const prismBin = path.join(prismDir, 'node_modules', '.bin', 'prism');

const spec = loadYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'), { schema: CORE_SCHEMA });
const example = JSON.stringify(
  spec.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value,
);
// An alias belongs to one customer per account: each POST gets its own, or all but the first are 400s.
const EXAMPLE_ALIAS = JSON.parse(example).customerAliases[0];
const basic = (id) => `Basic ${Buffer.from(`${id}:bench-secret`).toString('base64')}`;
const CLIENTS = Array.from({ length: 500 }, (_, i) => basic(`bench-${i}`));

const SERVERS = {
  'sequence-mock': (port) => [process.execPath, ['dist/cli.js', '--port', String(port)]],
  'prism -v silent': (port) => [prismBin, ['mock', 'openapi.yaml', '-p', String(port), '-h', '127.0.0.1', '-v', 'silent']],
  'node:http ceiling': (port) => [process.execPath, ['bench/ceiling.mjs', String(port)]],
  // BENCH_FLOOR=1: what express and express-openapi-validator cost alone (bench/stack-floor.mjs).
  ...(process.env.BENCH_FLOOR === '1' && {
    'express + validator only': (port) => [process.execPath, ['bench/stack-floor.mjs', String(port)]],
    'express only': (port) => [process.execPath, ['bench/stack-floor.mjs', String(port), '--no-validator']],
  }),
};

function installPrism() {
  if (existsSync(prismBin)) return;
  process.stderr.write(`installing @stoplight/prism-cli@${PRISM_VERSION} into bench/.prism ...\n`);
  mkdirSync(prismDir, { recursive: true });
  // Its own package.json, or npm would walk up and add Prism to this project's dependencies.
  writeFileSync(path.join(prismDir, 'package.json'), '{"name":"prism-bench","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `@stoplight/prism-cli@${PRISM_VERSION}`], {
    cwd: prismDir,
    stdio: 'inherit',
  });
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

const post = (url, auth = CLIENTS[0]) =>
  fetch(`${url}/customers`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: example });

/** Spawns a server; resolves once it answers the vendor example with 201, and says how long that took. */
async function start(name) {
  const port = await freePort();
  const [command, args] = SERVERS[name](port);
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { cwd: root, stdio: 'ignore' });
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
function load(url, { method, path: urlPath, duration, rotate, auth }) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method,
        path: urlPath,
        headers: { authorization: auth ?? CLIENTS[0], 'content-type': 'application/json' },
        ...(method === 'POST' && { body: example }),
        ...(rotate && {
          setupRequest: (req) => {
            n += 1;
            return {
              ...req,
              headers: { ...req.headers, authorization: CLIENTS[n % CLIENTS.length] },
              body: example.replace(EXAMPLE_ALIAS, `bench-alias-${n}`),
            };
          },
        }),
      },
    ],
  });
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

async function round(name) {
  const server = await start(name);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idleRss = rssMb(server.child.pid);
  // GET reads one customer made now, in a partition the POST load never touches.
  const created = await (await post(server.url, basic('bench-get'))).json();
  const get = { method: 'GET', path: `/customers/${created.id}`, auth: basic('bench-get') };
  const postLoad = { method: 'POST', path: '/customers', rotate: true };
  await load(server.url, { ...postLoad, duration: 2 });
  const posted = await load(server.url, { ...postLoad, duration: SECONDS });
  await load(server.url, { ...get, duration: 1 });
  const got = await load(server.url, { ...get, duration: SECONDS });
  const afterRss = rssMb(server.child.pid);
  await stop(server);
  const summary = (r) => ({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts });
  return { post: summary(posted), get: summary(got), idleRss, afterRss };
}

/** sequence-mock's memory per stored customer: RSS before and after seeding 100k (faker) customers. */
async function memoryPerCustomer() {
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

installPrism();
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

const rows = names.map((name) => {
  const m = (pick) => median(runs[name].map(pick));
  return {
    server: name,
    postRps: m((x) => x.post.rps),
    postP99: m((x) => x.post.p99),
    getRps: m((x) => x.get.rps),
    getP99: m((x) => x.get.p99),
    coldStartMs: cold[name],
    idleRssMb: m((x) => x.idleRss),
    afterRssMb: m((x) => x.afterRss),
    errors: runs[name].reduce((sum, x) => sum + x.post.bad + x.get.bad, 0),
  };
});
const [mock, prism, ceiling, ...floors] = rows;
const f = (n, d = 0) => n.toFixed(d);
const lines = [
  `${ROUNDS} rounds, ${CONNECTIONS} connections, ${SECONDS} s measured per cell; medians. ${new Date().toISOString()}, node ${process.version}`,
  '',
  '| server | POST req/s | POST p99 ms | GET req/s | GET p99 ms | cold start ms | RSS idle MB | RSS after MB | non-2xx/errors |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.server} | ${f(r.postRps)} | ${r.postP99} | ${f(r.getRps)} | ${r.getP99} | ${f(r.coldStartMs)} | ${f(r.idleRssMb)} | ${f(r.afterRssMb)} | ${r.errors} |`,
  ),
  '',
  '| sequence-mock ratio | POST req/s | POST p99 | GET req/s | GET p99 |',
  '| --- | --- | --- | --- | --- |',
  `| to Prism | ${f(mock.postRps / prism.postRps, 2)}x | ${f(mock.postP99 / prism.postP99, 2)}x | ${f(mock.getRps / prism.getRps, 2)}x | ${f(mock.getP99 / prism.getP99, 2)}x |`,
  `| to the node:http ceiling | ${f(mock.postRps / ceiling.postRps, 2)}x | ${f(mock.postP99 / ceiling.postP99, 2)}x | ${f(mock.getRps / ceiling.getRps, 2)}x | ${f(mock.getP99 / ceiling.getP99, 2)}x |`,
  ...floors.map(
    (fl) =>
      `| to ${fl.server} | ${f(mock.postRps / fl.postRps, 2)}x | ${f(mock.postP99 / fl.postP99, 2)}x | ${f(mock.getRps / fl.getRps, 2)}x | ${f(mock.getP99 / fl.getP99, 2)}x |`,
  ),
  '',
  `sequence-mock memory at 100k stored customers: ${f(memory.before)} MB -> ${f(memory.after)} MB RSS, ${f(memory.kbPerCustomer, 2)} KB per customer`,
  `(bench took ${f((Date.now() - began) / 1000)} s)`,
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', 'compare.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, rows, runs, memory }, null, 2)}\n`,
);
