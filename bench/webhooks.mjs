// Does a webhook endpoint that never answers slow the API? One server (the built CLI), two
// partitions: one with a WEBHOOK policy whose URL accepts connections and never answers, one with
// none. POST /customers loads each in alternating rounds (10 connections); prints medians of p50,
// p99 and req/s per partition, and the hooked one over the plain one.
// usage: npm run build && node bench/webhooks.mjs [rounds, default 5] [seconds, default 5]
import autocannon from 'autocannon';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { firstCreated, median, startCli, vendorExample } from './measure.mjs';

const rounds = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 5);
const dir = process.cwd();
// The vendor's example without its parentId: every customer joining one organization makes each answer
// grow with the partition (the organization lists its members), which would swamp what is measured.
const { parentId: _parent, ...customer } = JSON.parse(vendorExample(dir).example);
const vendor = { example: JSON.stringify(customer), alias: customer.customerAliases[0] };

// Accepts, reads, never answers: every attempt runs into the timeout.
const sockets = new Set();
const hang = createServer((socket) => {
  sockets.add(socket);
  socket.on('data', () => undefined);
  socket.on('close', () => sockets.delete(socket));
});
hang.listen(0, '127.0.0.1');
await once(hang, 'listening');
const hangUrl = `http://127.0.0.1:${hang.address().port}/hooks`;

const port = 4790;
const child = startCli(dir, port, { WEBHOOK_TIMEOUT_MS: '30000' });
const url = `http://127.0.0.1:${port}`;
const auth = (id) => `Basic ${btoa(`${id}:secret`)}`;
const post = (id) => () =>
  fetch(`${url}/api/customers`, {
    method: 'POST',
    headers: { authorization: auth(id), 'content-type': 'application/json' },
    body: vendor.example,
  });
await firstCreated(post('plain'));
const policy = await fetch(`${url}/api/notifications/policies`, {
  method: 'POST',
  headers: { authorization: auth('hooked'), 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Hangs', channel: 'WEBHOOK', recipients: [hangUrl] }),
});
if (policy.status !== 201) throw new Error(`policy: ${policy.status} ${await policy.text()}`);

let n = 0;
const load = (id) => ({
  method: 'POST',
  path: '/api/customers',
  headers: { 'content-type': 'application/json', authorization: auth(id) },
  body: vendor.example,
  setupRequest: (req) => ({ ...req, body: vendor.example.replace(vendor.alias, `${id}-${(n += 1)}`) }),
});

const results = { plain: [], hooked: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const id of round % 2 === 0 ? ['plain', 'hooked'] : ['hooked', 'plain']) {
    const run = await autocannon({ url, connections: 10, duration: seconds, requests: [load(id)] });
    if (run.non2xx > 0) throw new Error(`${id}: ${run.non2xx} answers were not 2xx`);
    results[id].push({ p50: run.latency.p50, p99: run.latency.p99, rps: run.requests.average });
  }
}
const deliveries = await (await fetch(`${url}/__admin/webhooks?limit=1`, { headers: { authorization: auth('hooked') } })).json();
for (const id of ['plain', 'hooked']) {
  const r = results[id];
  console.log(
    `${id}: p50 ${median(r.map((x) => x.p50))} ms, p99 ${median(r.map((x) => x.p99))} ms, ${Math.round(median(r.map((x) => x.rps)))} req/s`,
  );
}
const ratio = (key) => (median(results.hooked.map((x) => x[key])) / median(results.plain.map((x) => x[key]))).toFixed(3);
console.log(
  `hooked/plain: p50 ${ratio('p50')}, p99 ${ratio('p99')}, req/s ${ratio('rps')} (medians of ${rounds} alternating rounds of ${seconds} s, 10 connections)`,
);
console.log(`open sockets to the hanging endpoint at the end: ${sockets.size}; deliveries dropped past the cap: ${deliveries.dropped}`);
child.kill();
await once(child, 'exit');
for (const socket of sockets) socket.destroy();
hang.close();
