#!/usr/bin/env node
// Generates, from Sequence's published document exactly as shipped (spec/sequence/), the clients a
// user's app would generate with generators nobody here wrote: @hey-api/openapi-ts's fetch SDK, and
// swagger-typescript-api's `Api` class. Written to test/clients/ (ignored by git) before the type
// check, so the consumer tests are typed by Sequence's own document and never by the fake's files.
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
