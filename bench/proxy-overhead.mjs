// What the validating proxy (--upstream) adds to a request: one client, one connection, the same
// requests straight to a sequence-mock and through a proxy in front of it, and through Prism's
// validating proxy (`prism proxy`) in front of the same upstream. Rounds alternate the three, and the
// medians of the rounds' p50/p99 are reported, as added milliseconds over going straight.
// Run by `npm run bench:proxy` (after `npm run build`; Prism is installed on demand as for `npm run bench`).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';
import { freePort, installPrism, prismBin } from './prism.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const auth = `Basic ${Buffer.from('bench:secret').toString('base64')}`;
const body = JSON.stringify({
  legalName: 'Bench Ltd',
  address: { line1: '1 High Street', town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  taxStatus: 'TAXED',
  contacts: [],
});

async function spawnServer(command, args, port, probe) {
  const child = spawn(command, args, { cwd: root, stdio: 'ignore' });
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null || i > 2000) throw new Error(`${command} ${args.join(' ')} did not start`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`, { headers: { authorization: auth } });
      await res.arrayBuffer();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return child;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
async function sequential(port, method, urlPath) {
  const times = [];
  for (let i = 0; i < COUNT; i += 1) {
    const began = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const headers = { authorization: auth, 'content-type': 'application/json', 'sequence-version': '2024-07-30' };
      const req = request({ agent, host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
        res.resume();
        res.once('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${urlPath}: ${res.statusCode}`))));
      });
      req.once('error', reject);
      req.end(method === 'POST' ? body : undefined);
    });
    times.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(COUNT * 0.5)], p99: times[Math.floor(COUNT * 0.99)] };
}

installPrism();

const [upPort, proxyPort, prismPort] = [await freePort(), await freePort(), await freePort()];
const cli = path.join(root, 'dist', 'cli.js');
const upstream = await spawnServer(process.execPath, [cli, '--port', String(upPort), '--log-level', 'silent'], upPort, '/__admin/health');
const proxy = await spawnServer(
  process.execPath,
  [cli, '--port', String(proxyPort), '--log-level', 'silent', '--upstream', `http://127.0.0.1:${upPort}/api`],
  proxyPort,
  '/__admin/health',
);
const prism = await spawnServer(
  prismBin,
  ['proxy', 'openapi.yaml', `http://127.0.0.1:${upPort}/api`, '-p', String(prismPort), '-h', '127.0.0.1', '-v', 'silent'],
  prismPort,
  '/customers?limit=1',
);

const created = await (
  await fetch(`http://127.0.0.1:${upPort}/api/customers`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body,
  })
).json();
const targets = {
  direct: { port: upPort, prefix: '/api' },
  'sequence-mock --upstream': { port: proxyPort, prefix: '/api' },
  'prism proxy': { port: prismPort, prefix: '' },
};
const requests = { 'GET /customers/{id}': ['GET', `/customers/${created.id}`], 'POST /customers': ['POST', '/customers'] };
const results = {};
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, target] of Object.entries(targets)) {
    for (const [label, [method, urlPath]] of Object.entries(requests)) {
      if (round === 0) await sequential(target.port, method, `${target.prefix}${urlPath}`); // warm-up
      const measured = await sequential(target.port, method, `${target.prefix}${urlPath}`);
      ((results[label] ??= {})[name] ??= []).push(measured);
    }
  }
}
for (const child of [upstream, proxy, prism]) child.kill('SIGTERM');

const f = (n) => n.toFixed(2);
const lines = [
  `Proxy overhead: one connection, ${COUNT} requests per round, medians of ${ROUNDS} rounds (ms)`,
  '',
  '| request | path | p50 | p99 | added p50 | added p99 |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
const summary = {};
for (const [label, byTarget] of Object.entries(results)) {
  const p50 = (name) => median(byTarget[name].map((r) => r.p50));
  const p99 = (name) => median(byTarget[name].map((r) => r.p99));
  for (const name of Object.keys(targets)) {
    const added = name === 'direct' ? ['', ''] : [f(p50(name) - p50('direct')), f(p99(name) - p99('direct'))];
    lines.push(`| ${label} | ${name} | ${f(p50(name))} | ${f(p99(name))} | ${added[0]} | ${added[1]} |`);
    (summary[label] ??= {})[name] = { p50: p50(name), p99: p99(name) };
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(
  path.join(root, 'bench', 'results', 'proxy.json'),
  `${JSON.stringify({ date: new Date().toISOString(), count: COUNT, rounds: ROUNDS, summary }, null, 2)}\n`,
);
process.exit(0);
