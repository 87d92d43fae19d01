// The older API versions' cost (docs/benchmarks.md#api-versions): the first request that names one
// (its document read, its validator built) against a current one on the same server, and the
// steady cost of GET /customers/{id} in each version: req/s and server CPU per request, 50
// connections, rounds alternating the versions. Prints medians.
// usage: npm run bench:versions [-- rounds, default 5]
import { once } from 'node:events';
import { cpuPerRequest, median, startTimed, vendorExample } from './measure.mjs';

const dir = new URL('../', import.meta.url).pathname;
const rounds = Number(process.argv[2] ?? 5);
const auth = `Basic ${btoa('versions:secret')}`;
const vendor = vendorExample(dir);
const VERSIONS = ['2024-07-30', '2024-05-09', '2024-01-01'];

const first = Object.fromEntries(VERSIONS.map((v) => [v, []]));
const steady = Object.fromEntries(VERSIONS.map((v) => [v, { rps: [], cpu: [] }]));
for (let round = 0; round < rounds; round += 1) {
  const { child, url, created } = await startTimed(dir, 4300 + round, vendor, auth);
  // The first request in each version after start: the current one is warm from the start-up.
  for (const version of VERSIONS) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/api/customers/${created.id}`, { headers: { authorization: auth, 'sequence-version': version } });
    if (res.status !== 200) throw new Error(`${version}: ${res.status}`);
    await res.arrayBuffer();
    first[version].push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const order = round % 2 === 0 ? VERSIONS : [...VERSIONS].reverse();
  for (const version of order) {
    const request = { method: 'GET', path: `/api/customers/${created.id}`, headers: { authorization: auth, 'sequence-version': version } };
    const { rps, cpu } = await cpuPerRequest(url, child.pid, request, 4, version);
    steady[version].rps.push(rps);
    steady[version].cpu.push(cpu);
  }
  child.kill();
  await once(child, 'exit');
}

console.log(`medians of ${rounds} rounds, GET /customers/{id}`);
console.log('| version | first request after start (ms) | req/s | CPU per request (µs) |');
console.log('| --- | ---: | ---: | ---: |');
for (const version of VERSIONS)
  console.log(
    `| ${version} | ${median(first[version]).toFixed(1)} | ${Math.round(median(steady[version].rps))} | ${Math.round(median(steady[version].cpu))} |`,
  );
