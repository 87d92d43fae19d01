// `npm run bench:service`: what a POST /customers costs the customers service itself, with no HTTP,
// logging or journal around it. The HTTP figures of `npm run bench` and `bench:ab` scatter on a
// shared machine (one build's CPU per POST read 249-444 µs across rounds); this in-process figure
// stays within a few percent, so a change to the store, the rules or the presentation can be
// measured on its own.
//
// Each run is a fresh node process (the bin's node flags, pinned to one core when there are two)
// doing `npm run bench`'s POST pattern: the vendor page's example, 500 partitions, an alias each,
// so each partition's organization grows as it does under the bench. Per POST: createCustomer,
// presentCustomer and JSON.stringify of the answer. It prints µs per POST, the median of the runs.
// Given two built checkouts it alternates them and prints B over A.
//
// BENCH_PARENT=0 drops the example's parentId: no organization to join or list, to measure what the
// organization costs a POST.
//
// usage: npm run build && node bench/post-service.mjs [dir A] [dir B] [runs, default 5]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, NODE_FLAGS, vendorExample } from './measure.mjs';

const POSTS = 60_000;
const WARM_UP = 5_000;
const PARTITIONS = 500;

/** One run, in this process: µs per POST over POSTS, after WARM_UP. */
async function run(dir) {
  const load = (module) => import(path.join(dir, 'dist', module));
  const { MemoryStore } = await load('engine/store/memory.js');
  const { loadFixtures } = await load('tools/admin/fixtures.js');
  const { createCustomer } = await load('resources/customers/service.js');
  const { presentCustomer } = await load('resources/customers/present.js');
  const { systemClock } = await load('engine/clock.js');
  const { parentId, ...orphan } = JSON.parse(vendorExample(dir).example);
  const example = process.env.BENCH_PARENT === '0' ? orphan : { ...orphan, parentId };
  // Each partition starts with the server's default fixtures, which hold the parent the example names.
  const store = new MemoryStore({ initial: loadFixtures() });
  let n = 0;
  let bytes = 0;
  const post = () => {
    n += 1;
    const partition = store.partition(`bench-${n % PARTITIONS}`);
    const customer = createCustomer(partition, { ...example, customerAliases: [`bench-alias-${n}`] }, systemClock);
    bytes += JSON.stringify(presentCustomer(customer, partition)).length;
  };
  for (let i = 0; i < WARM_UP; i += 1) post();
  const began = process.hrtime.bigint();
  for (let i = 0; i < POSTS; i += 1) post();
  const micros = Number(process.hrtime.bigint() - began) / 1e3 / POSTS;
  return { micros, answerBytes: Math.round(bytes / (WARM_UP + POSTS)) };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--run') {
  process.stdout.write(JSON.stringify(await run(process.argv[3])));
} else {
  const root = path.dirname(path.dirname(self));
  const dirs = [process.argv[2] ?? root, process.argv[3]].filter(Boolean).map((dir) => path.resolve(dir));
  const runs = Number(process.argv[4] ?? 5);
  const pin = Number(execFileSync('nproc', { encoding: 'utf8' })) >= 2 ? ['taskset', '-c', '1'] : [];
  const results = dirs.map(() => []);
  for (let round = 0; round < runs; round += 1) {
    dirs.forEach((dir, i) => {
      const [command, ...args] = [...pin, process.execPath, ...NODE_FLAGS, self, '--run', dir];
      results[i].push(JSON.parse(execFileSync(command, args, { encoding: 'utf8' })));
    });
  }
  const medians = results.map((list) => median(list.map((r) => r.micros)));
  dirs.forEach((dir, i) => {
    const all = results[i].map((r) => r.micros.toFixed(1)).join(' ');
    process.stdout.write(
      `${dir}: ${medians[i].toFixed(1)} µs per POST${process.env.BENCH_PARENT === '0' ? ' without parentId' : ''} (runs: ${all}; answer ${results[i][0].answerBytes} bytes on average)\n`,
    );
  });
  if (dirs.length === 2) process.stdout.write(`B/A: ${(medians[1] / medians[0]).toFixed(3)} (medians of ${runs} alternating runs)\n`);
}
