// `npm run bench:profile`: where a request's time goes. Runs the production build as users run it
// (pinned to one core, autocannon on the other), once under POST /customers and once under
// GET /customers/{id}, with V8's sampling profiler (--cpu-prof), GC tracing (--trace-gc) and the
// event loop's delay histogram (bench/loop-monitor.mjs). Prints each load's self time grouped by
// where the code lives (our src/, express, the validator, ajv, pino, node's own, GC), the heaviest
// functions, the GC pauses and the loop's delay; writes the .cpuprofile files to bench/results/profiles
// to open in Chrome's DevTools.
//
// BENCH_LOADS (default POST,GET), BENCH_CONNECTIONS (default 50), BENCH_SECONDS (default 10), BENCH_NODE_FLAGS (extra node flags, to
// compare e.g. semi-space sizes; the default is the flags users run it with, from the bin's shebang).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstCreated, loads, NODE_FLAGS, vendorExample } from './measure.mjs';
import { freePort } from './prism.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? NODE_FLAGS;
const outDir = path.join(root, 'bench/results/profiles');

/** Which part of the stack a profile node's code belongs to. */
function area({ url, functionName }) {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(idle)') return functionName;
  if (!url) return 'V8 builtins';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node';
  const own = /\/dist\/([^/]+(?:\/[^/]+)?)/.exec(url);
  return own ? `src/${own[1].replace(/\.js$/, '')}` : url;
}

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
  const areas = new Map();
  const functions = new Map();
  let busy = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    const where = area(callFrame);
    if (where === '(idle)') continue;
    busy += micros;
    areas.set(where, (areas.get(where) ?? 0) + micros);
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const top = (map, count) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => `  ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`);
  return [`busy ${(busy / 1e6).toFixed(2)} s; self time by area:`, ...top(areas, 14), 'heaviest functions:', ...top(functions, 20)];
}

/** Scavenge and mark-compact pauses from --trace-gc's lines. */
function gcPauses(stdout) {
  const pauses = { Scavenge: [], 'Mark-Compact': [] };
  for (const line of stdout.split('\n')) {
    const m = /(Scavenge|Mark-Compact)[^,]*?, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (m) pauses[m[1]].push(Number(m[2]));
  }
  return Object.entries(pauses).map(([kind, list]) => {
    const sorted = list.sort((a, b) => a - b);
    const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
    return `${kind}: ${list.length} pauses, p50 ${at(0.5)} ms, max ${at(1)} ms, total ${list.reduce((a, b) => a + b, 0).toFixed(0)} ms`;
  });
}

async function profile(which) {
  const dir = path.join(outDir, which);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      ...FLAGS,
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--trace-gc',
      '--import',
      './bench/loop-monitor.mjs',
      'dist/cli.js',
      '--port',
      String(port),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${btoa('profile:secret')}`;
  const example = vendorExample(root);
  const created = await firstCreated(() =>
    fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: example.example,
    }),
  );
  const [post, get] = loads(example, auth, created.id, 'profile');
  const request = which === 'POST' ? post : get;
  await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: [request] });
  child.kill('SIGUSR2'); // the loop histogram restarts: only the measured load counts
  stdout = '';
  const run = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
  child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const loop = stderr
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{"loopDelay"'))
    .at(-1);
  const gc = gcPauses(stdout);
  child.kill('SIGINT');
  await once(child, 'exit');
  const file = path.join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
  );
  const { p50, p99, max } = run.latency;
  return [
    `${which} /customers at ${CONNECTIONS} connections, ${SECONDS} s, node ${FLAGS.join(' ')}: ${Math.round(run.requests.average)} req/s, latency p50/p99/max ${p50}/${p99}/${max} ms, non-2xx ${run.non2xx}`,
    `event loop delay while measured: ${loop}`,
    ...gc,
    ...summarise(file),
    `profile: ${path.relative(root, file)}`,
  ].join('\n');
}

// Checked before anything starts: an unknown load would otherwise be profiled as GET under its own name.
const LOADS = (process.env.BENCH_LOADS ?? 'POST,GET').split(',').map((load) => load.trim().toUpperCase());
const unknown = LOADS.filter((load) => load !== 'POST' && load !== 'GET');
if (unknown.length > 0) throw new Error(`BENCH_LOADS: ${unknown.join(', ')} is not POST or GET`);
for (const which of LOADS) console.log(`${await profile(which)}\n`);
