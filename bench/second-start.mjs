// A jest file starting its own fake after another did, in one process: start() and the first 201, the
// second time. Prints {"firstMs", "secondMs"}. Run by `npm run bench`.
import { start } from '../dist/index.js';

const body = JSON.stringify({
  legalName: 'X',
  address: { line1: 'a', town: 'b', postcode: 'c', country: 'GB' },
  taxStatus: 'TAXED',
  contacts: [],
});
async function startAndPost() {
  const began = performance.now();
  const server = await start({ port: 0, logLevel: 'silent' });
  const res = await fetch(`${server.url}/api/customers`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa('bench:secret')}`, 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`first POST answered ${res.status}`);
  const ms = performance.now() - began;
  await server.close();
  return ms;
}
const firstMs = await startAndPost();
const secondMs = await startAndPost();
process.stdout.write(`${JSON.stringify({ firstMs, secondMs })}\n`);
