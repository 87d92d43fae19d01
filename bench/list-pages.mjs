// Page cost of GET /customers against store size: the same queries at 1k, 10k and 100k customers,
// side by side in one run. Usage: npm run bench:list (after npm run build).
// The store is filled through the service (not HTTP) so filling 100k takes seconds; the pages are
// then read over real HTTP from the started server, as a client would. Each case's first request is
// shown apart: a filter's index is built the first time a filter reads it (docs/development.md).
import { startServer } from '../dist/index.js';
import { createCustomer } from '../dist/resources/customers/service.js';
import { newId } from '../dist/engine/clock.js';

const SIZES = [1_000, 10_000, 100_000];
const ROUNDS = 300;
const auth = `Basic ${Buffer.from('bench:bench').toString('base64')}`;

function body(i) {
  return {
    legalName: `Customer ${i}`,
    address: { line1: `${i} High Street`, town: 'London', postcode: 'EC1A 1BB', country: 'GB' },
    taxStatus: 'TAXED',
    contacts: [{ name: `Contact ${i}`, email: `c${i}@example.com`, billingPreference: 'PRIMARY' }],
    customerAliases: [`alias-${i}`],
  };
}

async function timeRequests(url, paths) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const path = paths[r % paths.length];
    const started = process.hrtime.bigint();
    const res = await fetch(url + path, { headers: { Authorization: auth } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const first = samples[0];
  samples.sort((a, b) => a - b);
  return { first, p50: samples[Math.floor(samples.length / 2)], p99: samples[Math.floor(samples.length * 0.99)] };
}

const rows = [];
const firstLists = [];
for (const size of SIZES) {
  const server = await startServer({ port: 0, logLevel: 'silent', fixtures: false });
  const partition = server.store.partition('bench');
  let t = Date.parse('2024-01-01T00:00:00Z');
  const deps = { now: () => new Date((t += 1000)), newId };
  for (let i = 0; i < size; i += 1) createCustomer(partition, body(i), deps);
  // A cursor deep in the walk: the page after the middle customer.
  const listed = process.hrtime.bigint();
  const first = await (await fetch(`${server.url}/customers?limit=100`, { headers: { Authorization: auth } })).json();
  firstLists.push(`${size / 1000}k ${(Number(process.hrtime.bigint() - listed) / 1e6).toFixed(1)} ms`);
  const deep = first.pagination.after;
  const cases = {
    'first page (limit 20)': ['/customers?limit=20'],
    'page after a cursor (limit 100)': [`/customers?limit=100&after=${deep}`],
    'filter by email': [`/customers?email=${encodeURIComponent(`c${Math.floor(size / 2)}@example.com`)}`],
    'ASC first page': ['/customers?sortOrder=ASC&limit=20'],
  };
  for (const [name, paths] of Object.entries(cases)) {
    rows.push({ size, case: name, ...(await timeRequests(server.url, paths)) });
  }
  await server.close();
}

console.log(`GET /customers page latency (ms), ${ROUNDS} sequential requests per cell`);
console.log(`the partition's first list (limit 100, before the cases): ${firstLists.join(', ')}`);
const cases = [...new Set(rows.map((r) => r.case))];
console.log(['case', ...SIZES.map((s) => `p50 @${s / 1000}k`), 'ratio 100k/1k', ...SIZES.map((s) => `first @${s / 1000}k`)].join(' | '));
for (const name of cases) {
  const cells = SIZES.map((s) => rows.find((r) => r.case === name && r.size === s));
  console.log(
    [name, ...cells.map((c) => c.p50.toFixed(2)), (cells[2].p50 / cells[0].p50).toFixed(2), ...cells.map((c) => c.first.toFixed(1))].join(
      ' | ',
    ),
  );
}
