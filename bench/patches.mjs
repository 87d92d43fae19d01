// What each validator patch (src/http/validator/) is worth today: the production build started with
// all of them, and with each one left out (SEQUENCE_MOCK_UNPATCHED=<name>), side by side in
// rotating order. Per variant: cold start (spawn to the first 201 of POST /customers) and CPU per
// request of POST /customers and GET /customers/{id} (50 connections, 1 s warm-up, 3 s measured, CPU
// of the server process from /proc), and the first request to an operation the warm-up did not reach
// (GET /invoices: its validators compile then). Prints medians and each variant over all-patches.
// usage: npm run build && node bench/patches.mjs [rounds, default 3]
import { once } from 'node:events';
import { PATCHES } from '../dist/http/validator/index.js';
import { cpuPerRequest, loads, median, startTimed, vendorExample } from './measure.mjs';

const rounds = Number(process.argv[2] ?? 3);
const dir = new URL('..', import.meta.url).pathname;
const vendor = vendorExample(dir);
const variants = ['', ...PATCHES.map(([name]) => name)];
const auth = `Basic ${btoa('patches:secret')}`;

async function measure(unpatched, port) {
  const { child, url, created, coldMs } = await startTimed(dir, port, vendor, auth, { SEQUENCE_MOCK_UNPATCHED: unpatched });
  // The first request to an operation the warm-up did not reach compiles its validators then.
  const firstAt = process.hrtime.bigint();
  await (await fetch(`${url}/api/invoices?limit=5`, { headers: { authorization: auth } })).arrayBuffer();
  const firstOtherMs = Number(process.hrtime.bigint() - firstAt) / 1e6;
  const cpu = [];
  for (const request of loads(vendor, auth, created.id, 'p'))
    cpu.push((await cpuPerRequest(url, child.pid, request, 3, unpatched || 'all')).cpu);
  child.kill();
  await once(child, 'exit');
  return { coldMs, firstOtherMs, post: cpu[0], get: cpu[1] };
}

const results = Object.fromEntries(variants.map((v) => [v, []]));
for (let round = 0; round < rounds; round += 1) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const [i, variant] of order.entries()) results[variant].push(await measure(variant, 43_000 + round * 20 + i));
}
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
