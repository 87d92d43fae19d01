// The JS heap one stored customer takes, after full collections: what the store keeps, without the
// garbage and unreturned pages that make RSS swing ±0.3 KB per customer between runs of one build.
// Runs one build in process (its programmatic start()), seeds 100k generated customers through the
// admin API (10 x 10k), collects twice, and prints KB per customer as JSON on stdout.
// usage: node --expose-gc bench/stored-heap.mjs <build dir>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.resolve(process.argv[2] ?? '.');
const { start } = await import(pathToFileURL(path.join(dir, 'dist/index.js')).href);
const server = await start({ port: 0, logLevel: 'silent' });
const auth = `Basic ${btoa('stored-heap:secret')}`;
async function seed(n) {
  const res = await fetch(`${server.url}/__admin/seed`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ count: n === 0 ? 1 : 10_000, seed: n + 1 }),
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`${dir}: seed answered ${res.status}`);
}
const collected = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
await seed(0);
const before = collected();
for (let n = 1; n <= 10; n += 1) await seed(n);
const kb = (collected() - before) / 1024 / 100_000;
process.stdout.write(`${JSON.stringify({ kb })}\n`);
await server.close();
