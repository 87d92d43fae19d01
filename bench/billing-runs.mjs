// How long a billing run takes: one partition with 100 customers, each with an ACTIVE schedule of a
// monthly fixed price and a monthly usage price (12 usage events each over the year), the clock
// advanced by a year in one call (1,200 periods, 2,400 invoices' worth of lines). Prints the
// advance's wall time per round and the median. The goal (issue 26): under a second.
// usage: npm run build && node bench/billing-runs.mjs [rounds, default 3]
import { once } from 'node:events';
import { firstCreated, startCli } from './measure.mjs';

const rounds = Number(process.argv[2] ?? 3);
const port = 4791;
const child = startCli(process.cwd(), port);
const url = `http://127.0.0.1:${port}`;

async function run(round) {
  const auth = `Basic ${btoa(`runs-${round}:secret`)}`;
  const call = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  await call('PUT', '/__admin/clock', { now: '2026-01-01T00:00:00Z' });
  const product = await call('POST', '/api/products', { name: 'Bench', label: 'bench' });
  const metric = await call('POST', '/api/usage-metrics', {
    name: 'calls',
    metricType: 'SIMPLE',
    eventType: 'call',
    aggregationType: 'COUNT',
  });
  const price = (billingType, structure) =>
    call('POST', '/api/prices', {
      productId: product.id,
      name: structure.pricingType,
      currency: 'GBP',
      billingFrequency: 'MONTHLY',
      billingType,
      structure,
    });
  const fixed = await price('IN_ADVANCE', { pricingType: 'FIXED', price: '99.00' });
  const linear = await price('IN_ARREARS', {
    pricingType: 'LINEAR',
    pricePerUnit: '0.01',
    usageMetricId: metric.id,
    isPricePercentage: false,
  });
  for (let i = 0; i < 100; i += 1) {
    const customer = await call('POST', '/api/customers', {
      legalName: `Bench ${i}`,
      address: { line1: '1 High St', town: 'London', postcode: 'E1 1AA', country: 'GB' },
      taxStatus: 'TAXED',
      contacts: [],
      customerAliases: [`bench-${i}`],
    });
    for (let month = 1; month <= 12; month += 1)
      await call('POST', '/api/usage-events', {
        customerAlias: `bench-${i}`,
        eventType: 'call',
        eventTimestamp: `2026-${String(month).padStart(2, '0')}-10T00:00:00Z`,
      });
    await call('POST', '/api/billing-schedules', {
      customerId: customer.id,
      startDate: '2026-01-01',
      taxRates: [],
      autoIssueInvoices: true,
      isDraft: false,
      rollUpBilling: false,
      phases: [{ priceIds: [fixed.id, linear.id], startDate: '2026-01-01' }],
    });
  }
  const started = process.hrtime.bigint();
  const result = await call('POST', '/__admin/clock/advance', { by: 'P1Y' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, invoices: result.invoices.length };
}

await firstCreated(() =>
  fetch(`${url}/api/customers`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa('warm:secret')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      legalName: 'Warm',
      address: { line1: '1', town: 'L', postcode: 'E1', country: 'GB' },
      taxStatus: 'TAXED',
      contacts: [],
    }),
  }),
);
const times = [];
for (let round = 0; round < rounds; round += 1) {
  const { ms, invoices } = await run(round);
  times.push(ms);
  console.log(`round ${round + 1}: a year of 100 schedules in ${ms.toFixed(0)} ms (${invoices} invoices)`);
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)].toFixed(0)} ms (goal: under 1000 ms)`);
child.kill();
await once(child, 'exit');
