#!/usr/bin/env node
// Generates, from Sequence's published document exactly as shipped (spec/sequence/), the client a
// user's app would generate with a generator nobody here wrote: @hey-api/openapi-ts's fetch SDK.
// Written to test/clients/ (ignored by git) before the type check, so the consumer tests are typed by
// Sequence's own document and never by the fake's files.
import { createClient } from '@hey-api/openapi-ts';

await createClient({
  input: new URL('../spec/sequence/2024-07-30.product.json', import.meta.url).pathname,
  output: { path: new URL('../test/clients/hey-api', import.meta.url).pathname, importFileExtension: '.js' },
  plugins: ['@hey-api/client-fetch'],
  logs: { level: 'silent' },
});
