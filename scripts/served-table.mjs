#!/usr/bin/env node
// Prints the README's table of what the fake serves, per tag of the document: which operations keep
// state (those the plug-ins of src/resources/registry.ts handle, and the collections
// src/engine/contract/operations.ts finds) and which answer their documented example, with the page
// of the plug-in that serves the tag. test/docs.test.ts checks the README holds exactly this table,
// so it stays true when the document or the plug-ins change. Run after `npm run build`:
// node scripts/served-table.mjs
import { readFileSync } from 'node:fs';
import { describeCollections, describeOperations } from '../dist/engine/contract/operations.js';
import { PLUGINS } from '../dist/resources/registry.js';

export function servedTable(document) {
  const operations = describeOperations(document);
  const handled = new Set(PLUGINS.flatMap((plugin) => Object.keys(plugin.handlers ?? {})));
  const stateful = new Set(operations.filter((o) => handled.has(o.operationId)));
  for (const c of describeCollections(operations)) {
    for (const o of [c.create, c.list, c.read, c.update, c.patch, c.remove, c.archive, ...c.actions]) if (o) stateful.add(o);
  }
  const name = (o) => `\`${o.method.toUpperCase()} ${o.path}\``;
  const rows = [...new Set(operations.map((o) => o.tags[0]))].sort().map((tag) => {
    const own = operations.filter((o) => o.tags[0] === tag);
    const kept = own.filter((o) => stateful.has(o));
    const examples = own.filter((o) => !kept.includes(o));
    const page = PLUGINS.find((plugin) => plugin.tags.includes(tag))?.page ?? 'docs/resources/rest-of-the-api.md';
    const state = kept.length === 0 ? 'none' : kept.length === own.length ? `all ${own.length}` : `${kept.length} of ${own.length}`;
    return `| ${tag} | ${state} | ${examples.length === 0 ? '' : examples.map(name).join(', ')} | [${page.split('/').pop()}](${page}) |`;
  });
  return [
    '| Tag | Operations that keep state | Operations that answer their documented example | Behaviour |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const document = JSON.parse(readFileSync(new URL('../spec/sequence/2024-07-30.product.json', import.meta.url), 'utf8'));
  console.log(servedTable(document));
}
