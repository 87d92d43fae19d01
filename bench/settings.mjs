// `npm run bench:settings`: what the request log line and the request journal cost a request. Each
// round starts the production build (the bin's node flags, pinned to one core, logging to /dev/null
// as a container's log driver would take it) once per setting: the defaults, `--journal-size 0`,
// `--log-level silent`, and both. Each start then takes `bench:ab`'s loads, GET /customers/{id}
// first, then POST /customers spread over 500 partitions (50 connections, 5 s after 1 s of
// warm-up), and the server's CPU time per request is read from /proc. Rounds rotate the order;
// medians, and each round's figure (this machine is shared: a busy spell shows in one round).
// usage: npm run build && node bench/settings.mjs [rounds, default 5]
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { cpuPerRequest, firstVendorCustomer, loads, median, NODE_FLAGS, pinLoadGenerator, spawnServer, vendorExample } from './measure.mjs';
import { freePort } from './prism.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 5);
const pin = pinLoadGenerator();
const SETTINGS = {
  defaults: [],
  '--journal-size 0': ['--journal-size', '0'],
  '--log-level silent': ['--log-level', 'silent'],
  both: ['--journal-size', '0', '--log-level', 'silent'],
};
const vendor = vendorExample(root);
const auth = `Basic ${btoa('settings:secret')}`;

let starts = 0;
async function measure(flags) {
  const port = await freePort();
  const args = [...NODE_FLAGS, 'dist/cli.js', '--port', String(port), ...flags];
  const child = spawnServer(process.execPath, args, pin, root);
  const url = `http://127.0.0.1:${port}`;
  const created = await firstVendorCustomer(url, vendor, auth);
  starts += 1;
  const [post, get] = loads(vendor, auth, created.id, `settings-${starts}-`);
  // GET first, on a heap the POST load has not grown: what a read costs, apart from the collection
  // of what the POSTs keep.
  const results = { get: await cpuPerRequest(url, child.pid, get, 5, 'GET'), post: await cpuPerRequest(url, child.pid, post, 5, 'POST') };
  child.kill();
  await once(child, 'exit');
  return results;
}

const names = Object.keys(SETTINGS);
const runs = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)])
    runs[name].push(await measure(SETTINGS[name]));
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
const base = (kind) => median(runs.defaults.map((r) => r[kind].cpu));
console.log(`${rounds} rounds, 50 connections, medians\n`);
console.log(
  '| setting | POST CPU µs | POST req/s | GET CPU µs | GET req/s | over the defaults, POST / GET CPU | CPU µs per round, POST; GET |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const name of names) {
  const m = (kind, key) => median(runs[name].map((r) => r[kind][key]));
  console.log(
    `| ${name} | ${m('post', 'cpu').toFixed(0)} | ${m('post', 'rps').toFixed(0)} | ${m('get', 'cpu').toFixed(0)} | ${m('get', 'rps').toFixed(0)} | ${(m('post', 'cpu') / base('post')).toFixed(2)} / ${(m('get', 'cpu') / base('get')).toFixed(2)} | ${runs[name].map((r) => r.post.cpu.toFixed(0)).join(' ')}; ${runs[name].map((r) => r.get.cpu.toFixed(0)).join(' ')} |`,
  );
}
