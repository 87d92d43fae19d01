// What each validator patch (src/http/validator/) is worth today: the production build started with
// all of them, and with each one left out (SEQUENCE_MOCK_UNPATCHED=<name>), side by side in
// rotating order. Per variant: cold start (spawn to the first 201 of POST /customers) and CPU per
// request of POST /customers and GET /customers/{id} (50 connections, 1 s warm-up, 3 s measured, CPU
// of the server process from /proc), and the first request to an operation the warm-up did not reach
// (GET /invoices: its validators compile then). Prints medians and each variant over all-patches.
// usage: npm run build && node bench/patches.mjs [rounds, default 3]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { PATCHES } from '../dist/http/validator/index.js';

const rounds = Number(process.argv[2] ?? 3);
const spec = JSON.parse(readFileSync(new URL('../dist/openapi.json', import.meta.url), 'utf8')).document;
const example = JSON.stringify(
  spec.paths['/customers'].post.requestBody.content['application/json'].examples.CreateOrUpdateCustomerRequest.value,
);
const alias = JSON.parse(example).customerAliases[0];
const variants = ['', ...PATCHES.map(([name]) => name)];
let n = 0;

function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function measure(unpatched, port) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--max-semi-space-size=32', 'dist/cli.js', '--port', String(port), '--log-level', 'silent'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, SEQUENCE_MOCK_UNPATCHED: unpatched },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${btoa('patches:secret')}`;
  let created;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/customers`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: example,
      });
      if (res.status === 201) {
        created = await res.json();
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const coldMs = Number(process.hrtime.bigint() - started) / 1e6;
  // The first request to an operation the warm-up did not reach compiles its validators then.
  const firstAt = process.hrtime.bigint();
  await (await fetch(`${url}/api/invoices?limit=5`, { headers: { authorization: auth } })).arrayBuffer();
  const firstOtherMs = Number(process.hrtime.bigint() - firstAt) / 1e6;
  const post = {
    method: 'POST',
    path: '/api/customers',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: example,
    setupRequest: (req) => {
      n += 1;
      return {
        ...req,
        headers: { ...req.headers, authorization: `Basic ${btoa(`p${n % 500}:secret`)}` },
        body: example.replace(alias, `p-${n}`),
      };
    },
  };
  const get = { method: 'GET', path: `/api/customers/${created.id}`, headers: { authorization: auth } };
  const cpu = [];
  for (const request of [post, get]) {
    await autocannon({ url, connections: 50, duration: 1, requests: [request] });
    const before = cpuMicros(child.pid);
    const run = await autocannon({ url, connections: 50, duration: 3, requests: [request] });
    if (run.non2xx > 0) throw new Error(`${unpatched || 'all'}: ${run.non2xx} answers were not 2xx`);
    cpu.push((cpuMicros(child.pid) - before) / run.requests.total);
  }
  child.kill();
  await once(child, 'exit');
  return { coldMs, firstOtherMs, post: cpu[0], get: cpu[1] };
}

const results = Object.fromEntries(variants.map((v) => [v, []]));
for (let round = 0; round < rounds; round += 1) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const [i, variant] of order.entries()) results[variant].push(await measure(variant, 43_000 + round * 20 + i));
}
const median = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
const m = (variant, key) => median(results[variant].map((r) => r[key]));
process.stdout.write(
  `| left out | cold start ms | first GET /invoices ms | POST µs CPU/req | GET µs CPU/req | cold / all | first / all | POST / all | GET / all |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n`,
);
for (const variant of variants) {
  const ratio = (key) => (m(variant, key) / m('', key)).toFixed(2);
  process.stdout.write(
    `| ${variant || '(none: all patches)'} | ${m(variant, 'coldMs').toFixed(0)} | ${m(variant, 'firstOtherMs').toFixed(0)} | ${m(variant, 'post').toFixed(0)} | ${m(variant, 'get').toFixed(0)} | ${ratio('coldMs')} | ${ratio('firstOtherMs')} | ${ratio('post')} | ${ratio('get')} |\n`,
  );
}
process.stdout.write(`medians of ${rounds} rounds, variants in rotating order\n`);
