#!/usr/bin/env node
// Prints the README's table of what the fake serves, per tag of the document: which operations keep
// state (those the plug-ins of src/resources/registry.ts handle, and the collections
// src/engine/contract/operations.ts finds) and which answer their documented example, with the page
// of the plug-in that serves the tag. test/docs.test.ts checks the README holds exactly this table,
// so it stays true when the document or the plug-ins change. A column per older API version counts
// that version's operations under the tag: those answered through the current version's (mapped to
// its shapes, src/engine/versions.ts) and those only it has (answered by its own document).
// Run after `npm run build`: node scripts/served-table.mjs
import { readFileSync } from 'node:fs';
import { describeCollections, describeOperations } from '../dist/engine/contract/operations.js';
import { PLUGINS } from '../dist/resources/registry.js';
import { publishedVersions } from '../dist/engine/contract/spec.js';

const shapeOf = (o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, '{}')}`;

/** `older`: each older version's document, by version. */
export function servedTable(document, older = {}) {
  const operations = describeOperations(document);
  const handled = new Set(PLUGINS.flatMap((plugin) => Object.keys(plugin.handlers ?? {})));
  const stateful = new Set(operations.filter((o) => handled.has(o.operationId)));
  for (const c of describeCollections(operations)) {
    for (const o of [c.create, c.list, c.read, c.update, c.patch, c.remove, c.archive, ...c.actions]) if (o) stateful.add(o);
  }
  const name = (o) => `\`${o.method.toUpperCase()} ${o.path}\``;
  const currentShapes = new Set(operations.map(shapeOf));
  const versions = Object.entries(older).map(([version, doc]) => [version, describeOperations(doc)]);
  const inVersion = (tag, ops) => {
    const under = ops.filter((o) => o.tags[0] === tag);
    if (under.length === 0) return 'none';
    const shared = under.filter((o) => currentShapes.has(shapeOf(o))).length;
    return [shared && `${shared} through the current`, under.length - shared && `${under.length - shared} own`].filter(Boolean).join(', ');
  };
  const tags = [...new Set([...operations, ...versions.flatMap(([, ops]) => ops)].map((o) => o.tags[0]))].sort();
  const rows = tags.map((tag) => {
    const own = operations.filter((o) => o.tags[0] === tag);
    const kept = own.filter((o) => stateful.has(o));
    const examples = own.filter((o) => !kept.includes(o));
    const page = PLUGINS.find((plugin) => plugin.tags.includes(tag))?.page ?? 'docs/resources/rest-of-the-api.md';
    const state =
      own.length === 0
        ? 'not in this version'
        : kept.length === 0
          ? 'none'
          : kept.length === own.length
            ? `all ${own.length}`
            : `${kept.length} of ${own.length}`;
    const columns = versions.map(([, ops]) => ` ${inVersion(tag, ops)} |`).join('');
    return `| ${tag} | ${state} | ${examples.length === 0 ? '' : examples.map(name).join(', ')} |${columns} [${page.split('/').pop()}](${page}) |`;
  });
  return [
    `| Tag | Operations that keep state | Operations that answer their documented example |${versions.map(([v]) => ` In ${v} |`).join('')} Behaviour |`,
    `| --- | --- | --- |${versions.map(() => ' --- |').join('')} --- |`,
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(servedTable(...publishedDocuments()));
}

/** The current document and the older versions', as shipped in spec/sequence/. */
export function publishedDocuments() {
  const [current, ...rest] = publishedVersions();
  const read = (version) => JSON.parse(readFileSync(new URL(`../spec/sequence/${version}.product.json`, import.meta.url), 'utf8'));
  return [read(current), Object.fromEntries(rest.map((version) => [version, read(version)]))];
}
