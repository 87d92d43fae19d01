#!/usr/bin/env node
// Generates, from Sequence's published document exactly as shipped (spec/sequence/), the clients a
// user's app would generate with generators nobody here wrote: @hey-api/openapi-ts's fetch SDK, and
// swagger-typescript-api's `Api` class; and, for each older API version Sequence publishes
// (spec/sequence/<version>.product.json), a hey-api SDK of its own, as a team pinned to it would
// generate. Written to test/clients/ (ignored by git) before the type check, so the consumer tests
// are typed by Sequence's own documents and never by the fake's files.
import { readdirSync } from 'node:fs';
import { createClient } from '@hey-api/openapi-ts';
import { generateApi } from 'swagger-typescript-api';

const input = new URL('../spec/sequence/2024-07-30.product.json', import.meta.url).pathname;
const output = (name) => new URL(`../test/clients/${name}`, import.meta.url).pathname;

await createClient({
  input,
  output: { path: output('hey-api'), importFileExtension: '.js' },
  plugins: ['@hey-api/client-fetch'],
  logs: { level: 'silent' },
});
await generateApi({ input, output: output('swagger-typescript-api'), fileName: 'sequence.ts', httpClientType: 'fetch', silent: true });

const published = new URL('../spec/sequence/', import.meta.url);
for (const file of readdirSync(published).filter((f) => /^\d{4}-\d{2}-\d{2}\.product\.json$/.test(f) && !input.endsWith(f))) {
  await createClient({
    input: new URL(file, published).pathname,
    output: { path: output(`hey-api-${file.slice(0, 10)}`), importFileExtension: '.js' },
    plugins: ['@hey-api/client-fetch'],
    logs: { level: 'silent' },
  });
}
