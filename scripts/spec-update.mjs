#!/usr/bin/env node
// npm run spec:update -- <path to a newer 2024-07-30.product.json> [--commit SHA] [--committed YYYY-MM-DD]
// Re-imports Sequence's published document from a local file (no network), prints what changed in
// the part the fake serves (all of it), rewrites openapi.yaml and regenerates the types.
// Run through npm: it builds first, since the cut is made by the same code the tests check with.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { operationsOf, servedDocument, servedYaml } from '../dist/engine/contract/served.js';

const root = new URL('../', import.meta.url);
const sourceUrl = new URL('spec/sequence/source.json', root);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { commit: { type: 'string' }, committed: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run spec:update -- <path to 2024-07-30.product.json> [--commit SHA] [--committed YYYY-MM-DD]');
  process.exit(2);
}

const source = JSON.parse(readFileSync(sourceUrl, 'utf8'));
const shippedUrl = new URL(`spec/sequence/${source.path}`, root);
const text = readFileSync(positionals[0], 'utf8');
let next;
try {
  next = JSON.parse(text);
} catch (err) {
  console.error(`not JSON: ${err.message}`);
  process.exit(1);
}
if (!/^3\.0\./.test(next.openapi ?? '') || typeof next.paths !== 'object') {
  console.error(`not an OpenAPI 3.0 document (openapi: ${next.openapi})`);
  process.exit(1);
}
const previous = JSON.parse(readFileSync(shippedUrl, 'utf8'));

// What changed, in the served cut: operations by METHOD path, then components by name.
const before = servedDocument(previous);
const after = servedDocument(next);
const key = (o) => `${o.method.toUpperCase()} ${o.path}`;
const operationMap = (doc) => new Map(operationsOf(doc).map((o) => [key(o), JSON.stringify(doc.paths[o.path][o.method])]));
const diff = (a, b) => {
  const lines = [];
  for (const name of b.keys()) if (!a.has(name)) lines.push(`  + ${name}`);
  for (const name of a.keys()) if (!b.has(name)) lines.push(`  - ${name}`);
  for (const [name, value] of b) if (a.has(name) && a.get(name) !== value) lines.push(`  ~ ${name}`);
  return lines;
};
const schemaMap = (doc) => new Map(Object.entries(doc.components?.schemas ?? {}).map(([n, s]) => [n, JSON.stringify(s)]));
const operationLines = diff(operationMap(before), operationMap(after));
const schemaLines = diff(schemaMap(before), schemaMap(after));
console.log(
  `published operations: ${operationsOf(previous).length} -> ${operationsOf(next).length}; served: ${operationsOf(before).length} -> ${operationsOf(after).length}`,
);
console.log(
  operationLines.length
    ? `served operations (+ added, - removed, ~ changed):\n${operationLines.join('\n')}`
    : 'served operations: unchanged',
);
console.log(schemaLines.length ? `served schemas:\n${schemaLines.join('\n')}` : 'served schemas: unchanged');

writeFileSync(shippedUrl, text);
const updated = {
  ...source,
  ...(values.commit && { commit: values.commit }),
  ...(values.committed && { committed: values.committed }),
  sha256: createHash('sha256').update(text).digest('hex'),
};
writeFileSync(sourceUrl, `${JSON.stringify(updated, null, 2)}\n`);
writeFileSync(new URL('openapi.yaml', root), servedYaml(next, updated));
execFileSync(process.execPath, [new URL('scripts/generate-types.mjs', root).pathname], { cwd: root, stdio: 'inherit' });
console.log(`wrote spec/sequence/${source.path}, spec/sequence/source.json, openapi.yaml and src/generated/; run npm test`);
