#!/usr/bin/env node
// Prints the README's table of what the fake serves, per tag of the document: which operations keep
// state (hand-written modules, and the collections src/contract/operations.ts finds) and which answer
// their documented example. test/docs.test.ts checks the README holds exactly this table, so it stays
// true when the document changes. Run after `npm run build`: node scripts/served-table.mjs
import { readFileSync } from 'node:fs';
import { describeCollections, describeOperations } from '../dist/contract/operations.js';

/** Tags served wholly by hand-written modules (src/customers, customer-aliases, organizations, payment-settings). */
const HAND_WRITTEN = new Set(['Customers', 'Contacts', 'Customer Aliases', 'Organizations']);
/** Collections with hand-written rules over the generic behaviour, and their docs pages. */
const PAGES = {
  Customers: 'docs/resources/customers.md',
  Contacts: 'docs/resources/contacts.md',
  'Customer Aliases': 'docs/resources/customer-aliases.md',
  Organizations: 'docs/resources/organizations.md',
  'Usage Events': 'docs/resources/usage-events.md',
  'Billing Schedules': 'docs/resources/billing-schedules.md',
};

export function servedTable(document) {
  const operations = describeOperations(document);
  const stateful = new Set();
  for (const c of describeCollections(operations)) {
    for (const o of [c.create, c.list, c.read, c.update, c.patch, c.remove, c.archive, ...c.actions]) if (o) stateful.add(o);
  }
  const name = (o) => `\`${o.method.toUpperCase()} ${o.path}\``;
  const rows = [...new Set(operations.map((o) => o.tags[0]))].sort().map((tag) => {
    const own = operations.filter((o) => o.tags[0] === tag);
    const kept = own.filter((o) => HAND_WRITTEN.has(tag) || stateful.has(o));
    const examples = own.filter((o) => !kept.includes(o));
    const page = PAGES[tag] ?? 'docs/resources/rest-of-the-api.md';
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
