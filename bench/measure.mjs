// What the benches share: a sequence-mock CLI started from a build directory, the loads they put on
// it (POST /customers with the vendor example, GET /customers/{id}), the server's CPU per request
// read from /proc while autocannon runs, and pinning the load generator and the server apart.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time (user + system) of a process so far, in µs (clock ticks of 10 ms). */
export function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The vendor's POST /customers request example of a build's document, and its alias (unique per partition). */
export function vendorExample(dir) {
  const spec = JSON.parse(readFileSync(`${dir}/dist/openapi.json`, 'utf8')).document;
  const example = JSON.stringify(
    spec.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value,
  );
  return { example, alias: JSON.parse(example).customerAliases[0] };
}

/**
 * The node flags the bin's shebang gives the fake (`npm start` and the image give the same:
 * test/cli.e2e.test.ts). Read from this checkout, so two builds compared run under the same flags.
 */
export const NODE_FLAGS = readFileSync(new URL('../src/cli.ts', import.meta.url), 'utf8')
  .split('\n')[0]
  .split(' ')
  .slice(3);

/**
 * Starts a build's CLI as users run it; `env` adds to the environment. Silent unless
 * BENCH_LOG_LEVEL says otherwise (`info`, the CLI's default, writes its request lines to /dev/null,
 * as a container's log driver would take them): what a change to the log line costs shows only then.
 */
export function startCli(dir, port, env = {}) {
  const level = process.env.BENCH_LOG_LEVEL ?? 'silent';
  return spawn(process.execPath, [...NODE_FLAGS, 'dist/cli.js', '--port', String(port), '--log-level', level], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
}

/**
 * Polls `send` until it answers 201 (a server still starting refuses the connection); resolves to its
 * JSON. Gives up after 60 s, so a server that never starts (a port taken) fails the bench, not hangs it.
 */
export async function firstCreated(send) {
  const deadline = Date.now() + 60_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await send();
      if (res.status === 201) return res.json();
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err); // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no 201 within 60 s; last: ${last.slice(0, 300)}`);
}

/**
 * With two cores or more (and `wanted`), pins this process, the load generator, to core 0, and says
 * that servers go on core 1 (spawnServer): neither steals the other's time.
 */
export function pinLoadGenerator(wanted = true) {
  const pin = wanted && Number(execFileSync('nproc', { encoding: 'utf8' })) >= 2;
  if (pin) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return pin;
}

/**
 * Spawns a server in `cwd`, on core 1 when `pin`; taskset execs it, so the child's pid is the server's.
 * `options` go to spawn (its output is ignored unless they say otherwise).
 */
export function spawnServer(command, args, pin, cwd, options = {}) {
  const settings = { cwd, stdio: 'ignore', ...options };
  return pin ? spawn('taskset', ['-c', '1', command, ...args], settings) : spawn(command, args, settings);
}

/** The middle of `values` (the upper of the two middles when there is an even number). */
export const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** 500 Basic credentials, `<prefix>0` to `<prefix>499`: POSTs spread over them, as a CI fleet of test files would. */
export const clientIds = (prefix, secret) => Array.from({ length: 500 }, (_, i) => `Basic ${btoa(`${prefix}${i}:${secret}`)}`);
/** `npm run bench`'s client ids. */
export const BENCH_CLIENTS = clientIds('bench-', 'bench-secret');

/**
 * autocannon's setupRequest for POSTs spread over client ids: each takes the next number from
 * `count`, which picks its client id and makes its alias (an alias belongs to one customer of an
 * account). `npm run bench`'s by default; other benches pass their own ids and alias prefix.
 */
export const rotatingPost =
  ({ example, alias }, count, clients = BENCH_CLIENTS, aliasPrefix = 'bench-alias-') =>
  (req) => {
    const n = count();
    return {
      ...req,
      headers: { ...req.headers, authorization: clients[n % clients.length] },
      body: example.replace(alias, `${aliasPrefix}${n}`),
    };
  };

/** The two loads: POSTs spread over 500 partitions with an alias each, and GETs of one customer. */
export function loads(vendor, auth, customerId, tag) {
  let n = 0;
  const clients = clientIds(tag, 'secret');
  const post = {
    method: 'POST',
    path: '/api/customers',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: vendor.example,
    setupRequest: rotatingPost(vendor, () => (n += 1), clients, `${tag}-`),
  };
  return [post, { method: 'GET', path: `/api/customers/${customerId}`, headers: { authorization: auth } }];
}

/** One load on a running server: 1 s of warm-up, then `seconds` measured; req/s and server CPU µs per request. */
export async function cpuPerRequest(url, pid, request, seconds, label) {
  await autocannon({ url, connections: 50, duration: 1, requests: [request] });
  const before = cpuMicros(pid);
  const run = await autocannon({ url, connections: 50, duration: seconds, requests: [request] });
  if (run.non2xx > 0) throw new Error(`${label}: ${run.non2xx} answers were not 2xx`);
  return { rps: run.requests.average, cpu: (cpuMicros(pid) - before) / run.requests.total };
}

/** Starts a build's CLI and times spawn to its first 201 of the vendor's POST /customers (the cold start). */
export async function startTimed(dir, port, vendor, auth, env = {}) {
  const spawned = process.hrtime.bigint();
  const child = startCli(dir, port, env);
  const url = `http://127.0.0.1:${port}`;
  const created = await firstVendorCustomer(url, vendor, auth);
  return { child, url, created, coldMs: Number(process.hrtime.bigint() - spawned) / 1e6 };
}

/** The vendor's POST /customers on a server that may still be starting: the created customer. */
export function firstVendorCustomer(url, vendor, auth) {
  return firstCreated(() =>
    fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: vendor.example,
    }),
  );
}
