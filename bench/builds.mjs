// `npm run bench:builds -- <build>... [rounds]`: several builds of sequence-mock in a row, to say
// which of them a cost came from (give it, say, the commit before a release's work and the commit
// that ends each of its issues). bench:ab compares two builds; between two runs of it the machine
// moves by more than one issue's cost, so a cost spread over a release cannot be placed that way.
//
// Each round starts every build afresh in a rotating order, with the bin's node flags and
// `--log-level silent`, the server pinned to one core and the load generator to the other (when
// there are two), and measures the server's CPU per request under POST /customers and then
// GET /customers/{id} (50 connections, 1 s of warm-up, 4 s measured; bench:ab's loads). A busy
// spell of a shared machine raises every build of its round together, so besides each build's
// median the table gives the median over the rounds of its CPU over the first build's in the same
// round, and its lowest CPU (the quietest round).
//
// usage: node bench/builds.mjs <dir>... [rounds, default 7] (each dir a checkout with dist/ built,
//        e.g. a git worktree per commit)
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cpuPerRequest, firstVendorCustomer, loads, median, NODE_FLAGS, pinLoadGenerator, spawnServer, vendorExample } from './measure.mjs';
import { freePort } from './prism.mjs';

const args = process.argv.slice(2);
const rounds = /^\d+$/.test(args.at(-1) ?? '') ? Number(args.pop()) : 7;
const dirs = args.map((dir) => path.resolve(dir));
if (dirs.length < 2 || dirs.some((dir) => !existsSync(path.join(dir, 'dist/cli.js')))) {
  process.stderr.write('usage: node bench/builds.mjs <build dir> <build dir>... [rounds]  (each with dist/ built)\n');
  process.exit(2);
}
const pin = pinLoadGenerator();
const vendor = vendorExample(dirs.at(-1));
const auth = `Basic ${btoa('builds:secret')}`;
const LOADS = ['POST', 'GET'];

async function measure(dir) {
  const port = await freePort();
  const child = spawnServer(process.execPath, [...NODE_FLAGS, 'dist/cli.js', '--port', String(port), '--log-level', 'silent'], pin, dir);
  try {
    const url = `http://127.0.0.1:${port}`;
    const created = await firstVendorCustomer(url, vendor, auth);
    const results = [];
    for (const request of loads(vendor, auth, created.id, 'builds')) results.push(await cpuPerRequest(url, child.pid, request, 4, dir));
    return results;
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

/** runs[round][build][load] = { rps, cpu } */
const runs = [];
for (let round = 0; round < rounds; round += 1) {
  const row = new Array(dirs.length);
  for (let k = 0; k < dirs.length; k += 1) {
    const i = (k + round) % dirs.length;
    row[i] = await measure(dirs[i]);
  }
  runs.push(row);
  process.stderr.write(`round ${round + 1}/${rounds}: ${row.map((r) => r.map((l) => l.cpu.toFixed(0)).join('/')).join('  ')} µs\n`);
}

const names = dirs.map((dir) => path.basename(dir));
const width = Math.max(...names.map((name) => name.length));
process.stdout.write(`CPU µs per request, ${rounds} rounds (median; median of the rounds' ratios to ${names[0]}; lowest):\n`);
dirs.forEach((_, i) => {
  const cells = LOADS.map((load, l) => {
    const cpu = runs.map((row) => row[i][l].cpu);
    const ratio = median(runs.map((row) => row[i][l].cpu / row[0][l].cpu));
    return `${load} ${median(cpu).toFixed(0)} (${ratio.toFixed(3)}; ${Math.min(...cpu).toFixed(0)})`;
  });
  process.stdout.write(`${names[i].padEnd(width)}  ${cells.join('   ')}\n`);
});
