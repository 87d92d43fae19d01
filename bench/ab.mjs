// Two builds of sequence-mock side by side: does a change cost anything? Each round starts one
// build's CLI (timing spawn to its first 201: the cold start), loads it with POST /customers then GET
// /customers/{id} (50 connections, 4 s each after 1 s of warm-up), and reads the server process's CPU
// time from /proc; rounds alternate the builds. Then each build's memory per stored customer (100k
// generated). Prints medians: req/s, CPU µs per request, cold start, and B over A.
// CPU per request is the steadier figure on a noisy machine (req/s swings ±15% between runs).
// usage: npm run build && node bench/ab.mjs <dir of build A> <dir of build B> [rounds, default 7]
//        (a dir is a checkout with dist/ built, e.g. a git worktree of the commit before the change)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node bench/ab.mjs <build dir A> <build dir B> [rounds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 7);
const spec = JSON.parse(readFileSync(path.join(b, 'dist', 'openapi.json'), 'utf8')).document;
const example = JSON.stringify(
  spec.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value,
);
const alias = JSON.parse(example).customerAliases[0];
let n = 0;

/** CPU time (user + system) of a process so far, in µs (clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function measure(dir, port) {
  const spawned = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=32', 'dist/cli.js', '--port', String(port), '--log-level', 'silent'], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      await (await fetch(`${url}/__admin/health`)).arrayBuffer();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const auth = `Basic ${btoa('ab:secret')}`;
  const created = await (
    await fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: example,
    })
  ).json();
  const coldMs = Number(process.hrtime.bigint() - spawned) / 1e6;
  const post = {
    method: 'POST',
    path: '/api/customers',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: example,
    // Another partition and alias per request: the vendor example's alias is unique per partition.
    setupRequest: (req) => {
      n += 1;
      return {
        ...req,
        headers: { ...req.headers, authorization: `Basic ${btoa(`ab${n % 500}:secret`)}` },
        body: example.replace(alias, `ab-${n}`),
      };
    },
  };
  const get = { method: 'GET', path: `/api/customers/${created.id}`, headers: { authorization: auth } };
  const results = [];
  for (const request of [post, get]) {
    await autocannon({ url, connections: 50, duration: 1, requests: [request] });
    const before = cpuMicros(child.pid);
    const run = await autocannon({ url, connections: 50, duration: 4, requests: [request] });
    if (run.non2xx > 0) throw new Error(`${dir}: ${run.non2xx} answers were not 2xx`);
    results.push({ rps: run.requests.average, cpu: (cpuMicros(child.pid) - before) / run.requests.total });
  }
  child.kill();
  await once(child, 'exit');
  return [...results, { coldMs }];
}

/** RSS per stored customer: before and after 100k generated customers (POST /__admin/seed, 10 x 10k). */
async function memoryPerCustomer(dir, port) {
  const child = spawn(process.execPath, ['--max-semi-space-size=32', 'dist/cli.js', '--port', String(port), '--log-level', 'silent'], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      await (await fetch(`${url}/__admin/health`)).arrayBuffer();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const rss = () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rss();
  for (let seed = 1; seed <= 10; seed += 1) {
    const res = await fetch(`${url}/__admin/seed`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa('ab-memory:secret')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 10_000, seed }),
    });
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
for (let i = 0; i < rounds; i += 1)
  for (const dir of i % 2 ? [b, a] : [a, b]) runs[dir].push(await measure(dir, 42_000 + i * 2 + (dir === a ? 0 : 1)));
const median = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
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
const memA = await memoryPerCustomer(a, 42_900);
const memB = await memoryPerCustomer(b, 42_901);
process.stdout.write(
  `memory per stored customer at 100k: A ${memA.toFixed(2)} KB, B ${memB.toFixed(2)} KB, B/A ${(memB / memA).toFixed(3)}\n`,
);
process.stdout.write(
  `B/A CPU per request: POST ${(m(b, 0, 'cpu') / m(a, 0, 'cpu')).toFixed(3)}, GET ${(m(b, 1, 'cpu') / m(a, 1, 'cpu')).toFixed(3)}; req/s: POST ${(m(b, 0, 'rps') / m(a, 0, 'rps')).toFixed(3)}, GET ${(m(b, 1, 'rps') / m(a, 1, 'rps')).toFixed(3)} (medians of ${rounds} alternating rounds)\n`,
);
