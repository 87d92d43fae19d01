#!/usr/bin/env node
// npm run spec:update -- [--from <directory or URL>] [<file>] [--commit SHA] [--committed YYYY-MM-DD]
// Refreshes every API version's published document (spec/sequence/<version>.product.json): each is
// read from --from (a directory, or a base URL such as the repository's raw files, fetched), or by
// default fetched from SequenceHQ/openapi-schema at --commit (else main). A lone <file> refreshes only
// the current version from that file, as before. It prints what changed (for the current version, in
// the part the fake serves), rewrites openapi.yaml, source.json and the generated types. Nothing is
// written unless every document read is an OpenAPI 3.0 document.
// Run through npm: it builds first, since the cut is made by the same code the tests check with.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { operationsOf, servedDocument, servedYaml } from '../dist/engine/contract/served.js';

const root = new URL('../', import.meta.url);
const sourceUrl = new URL('spec/sequence/source.json', root);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { commit: { type: 'string' }, committed: { type: 'string' }, from: { type: 'string' } },
});
if (positionals.length > 1 || (positionals.length === 1 && values.from)) {
  console.error(
    'usage: npm run spec:update -- [--from <directory or URL>] [<2024-07-30.product.json>] [--commit SHA] [--committed YYYY-MM-DD]',
  );
  process.exit(2);
}

const source = JSON.parse(readFileSync(sourceUrl, 'utf8'));
const currentVersion = source.path.replace('.product.json', '');
const versions = readdirSync(new URL('spec/sequence/', root))
  .flatMap((file) => /^(\d{4}-\d{2}-\d{2})\.product\.json$/.exec(file)?.[1] ?? [])
  .sort()
  .reverse();
const from =
  values.from ??
  (positionals.length === 0 ? `https://raw.githubusercontent.com/SequenceHQ/openapi-schema/${values.commit ?? 'main'}/` : undefined);

/** Each version's new text: from the lone file (the current version only), a directory, or fetched. */
async function read(version) {
  if (!from) return readFileSync(positionals[0], 'utf8');
  if (/^https?:\/\//.test(from)) {
    const url = new URL(`${version}.product.json`, from.endsWith('/') ? from : `${from}/`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.text();
  }
  return readFileSync(new URL(`${version}.product.json`, `file://${from.endsWith('/') ? from : `${from}/`}`), 'utf8');
}

const texts = new Map();
for (const version of from ? versions : [currentVersion]) {
  let text;
  let next;
  try {
    text = await read(version);
    next = JSON.parse(text);
  } catch (err) {
    console.error(`${version}: not JSON (${err.message})`);
    process.exit(1);
  }
  if (!/^3\.0\./.test(next.openapi ?? '') || typeof next.paths !== 'object') {
    console.error(`${version}: not an OpenAPI 3.0 document (openapi: ${next.openapi})`);
    process.exit(1);
  }
  texts.set(version, { text, next });
}

const key = (o) => `${o.method.toUpperCase()} ${o.path}`;
const operationMap = (doc) => new Map(operationsOf(doc).map((o) => [key(o), JSON.stringify(doc.paths[o.path][o.method])]));
const diff = (a, b) => {
  const lines = [];
  for (const name of b.keys()) if (!a.has(name)) lines.push(`  + ${name}`);
  for (const name of a.keys()) if (!b.has(name)) lines.push(`  - ${name}`);
  for (const [name, value] of b) if (a.has(name) && a.get(name) !== value) lines.push(`  ~ ${name}`);
  return lines;
};
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

// The older versions: what changed in their operations, then the file.
const older = { ...source.versions };
for (const [version, { text, next }] of texts) {
  if (version === currentVersion) continue;
  const url = new URL(`spec/sequence/${version}.product.json`, root);
  const previous = JSON.parse(readFileSync(url, 'utf8'));
  const lines = diff(operationMap(previous), operationMap(next));
  console.log(
    `${version}: operations ${operationsOf(previous).length} -> ${operationsOf(next).length}${lines.length ? `\n${lines.join('\n')}` : ', unchanged'}`,
  );
  writeFileSync(url, text);
  older[version] = { sha256: sha256(text) };
}

const { text, next } = texts.get(currentVersion);
const shippedUrl = new URL(`spec/sequence/${source.path}`, root);
const previous = JSON.parse(readFileSync(shippedUrl, 'utf8'));

// What changed, in the served cut: operations by METHOD path, then components by name.
const before = servedDocument(previous);
const after = servedDocument(next);
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
  sha256: sha256(text),
  ...(Object.keys(older).length > 0 && { versions: older }),
};
writeFileSync(sourceUrl, `${JSON.stringify(updated, null, 2)}\n`);
writeFileSync(new URL('openapi.yaml', root), servedYaml(next, updated));
execFileSync(process.execPath, [new URL('scripts/generate-types.mjs', root).pathname], { cwd: root, stdio: 'inherit' });
console.log(`wrote spec/sequence/${source.path}, spec/sequence/source.json, openapi.yaml and src/generated/; run npm test`);
