// `npm run bench:equal`: POST /customers at 50 connections with every server given the same requests.
// In `npm run bench` each load runs for a fixed time, so a faster server stores more customers, and
// where the answer lists an organization (sequence-mock, and the floor answering the document's
// Customer), a faster server's later answers are longer. This bench takes the time out: each server
// gets the same number of POSTs in the same order (the bench's pattern: the vendor example, 500
// client ids, an alias each; first at 10 connections, then at 50), so the organizations, and the
// answers, grow the same in each. Only the 50-connection part is timed.
//
// Servers: sequence-mock as users run it, express with the patched validator answering the document's
// Customer (bench/stack-floor.mjs --documented), and WireMock with its journal off (its answer is
// fixed, so this is the same load it gets in `npm run bench`). Each pinned to one core, the load on
// the other; rounds rotate the order; medians. Counts: BENCH_WARM_POSTS (default 43,000, about what
// sequence-mock answers in the bench's 10-connection POST load and its warm-up) and BENCH_POSTS
// (default 27,000, its 50-connection load), BENCH_ROUNDS (default 5).
import autocannon from 'autocannon';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { firstCreated, median, NODE_FLAGS, pinLoadGenerator, rotatingPost, spawnServer, vendorExample } from './measure.mjs';
import { installPeers, PEERS } from './peers.mjs';
import { freePort } from './prism.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_POSTS = Number(process.env.BENCH_WARM_POSTS ?? 43_000);
const POSTS = Number(process.env.BENCH_POSTS ?? 27_000);
const PIN = pinLoadGenerator();

const spec = loadYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'), { schema: CORE_SCHEMA });
const vendor = vendorExample(root);

const SERVERS = {
  'sequence-mock': (port) => [process.execPath, [...NODE_FLAGS, 'dist/cli.js', '--port', String(port)]],
  'express + validator, documented answer': (port) => [
    process.execPath,
    [...NODE_FLAGS, 'bench/stack-floor.mjs', String(port), '--documented'],
  ],
  'wiremock (journal off)': PEERS['wiremock (journal off)'],
};

/** `amount` POSTs at `connections`, numbered from `first` (so every server gets the same sequence). */
function posts(url, connections, amount, first) {
  let n = first;
  return autocannon({
    url,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        path: '/customers',
        headers: { 'content-type': 'application/json' },
        setupRequest: rotatingPost(vendor, () => (n += 1)),
      },
    ],
  });
}

async function round(name) {
  const port = await freePort();
  const [command, args] = SERVERS[name](port);
  const child = spawnServer(command, args, PIN, root);
  const url = `http://127.0.0.1:${port}`;
  // The first POST, as the other POSTs' partitions start: a client id none of the loads uses.
  await firstCreated(() =>
    fetch(`${url}/customers`, {
      method: 'POST',
      headers: { authorization: 'Basic YmVuY2gtc3RhcnQ6cw==', 'content-type': 'application/json' },
      body: vendor.example,
    }),
  );
  await posts(url, 10, WARM_POSTS, 0);
  const began = process.hrtime.bigint();
  // Timed to the last answer: autocannon notices that `amount` is reached on its next one-second tick.
  let last = began;
  const timed = posts(url, 50, POSTS, WARM_POSTS);
  timed.on('response', () => (last = process.hrtime.bigint()));
  const result = await timed;
  const seconds = Number(last - began) / 1e9;
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${name}: ${bad} of ${POSTS} POSTs failed`);
  return { rps: result.requests.total / seconds, answerBytes: result.throughput.total / result.requests.total, p99: result.latency.p99 };
}

installPeers(spec);
const names = Object.keys(SERVERS);
const runs = Object.fromEntries(names.map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
    runs[name].push(await round(name));
    process.stderr.write(`round ${r + 1}/${ROUNDS}: ${name} done\n`);
  }
}
const mock = runs['sequence-mock'];
console.log(`${ROUNDS} rounds; ${WARM_POSTS} POSTs at 10 connections, then ${POSTS} timed at 50; medians\n`);
console.log('| server | POST req/s | rounds | mean bytes per answer | p99 ms | sequence-mock over it, median of the rounds |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const name of names) {
  const list = runs[name];
  const ratio = median(list.map((run, i) => mock[i].rps / run.rps));
  console.log(
    `| ${name} | ${median(list.map((x) => x.rps)).toFixed(0)} | ${list.map((x) => x.rps.toFixed(0)).join(' / ')} | ${median(list.map((x) => x.answerBytes)).toFixed(0)} | ${median(list.map((x) => x.p99))} | ${ratio.toFixed(2)}x |`,
  );
}
