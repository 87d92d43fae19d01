// What the dashboard can show of a partition, read from the document: every collection a client can
// list, with a readable title (its list operation's summary, or its tag), the columns worth a table
// (a name, the status, links to other records, money and dates, chosen by the list item schema's
// fields), and the collections nested under its items. Nothing here names a resource: a re-imported
// document brings its new collections to the page.
import type { Collection } from '../../engine/contract/operations.js';
import { isObject, type Conformer } from '../../engine/contract/conform.js';
import { pointer } from '../../engine/contract/pointer.js';
import type { components } from '../../generated/mock.js';

type Entry = components['schemas']['CatalogueEntry'];
type Column = Entry['columns'][number];

/** "billingScheduleId" -> "Billing schedule"; "createdAt" -> "Created at"; "URL" stays. */
export function heading(field: string): string {
  const words = field
    .replace(/Ids?$/, (ids) => (ids === 'Ids' ? 's' : ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ');
  return sentence(words);
}

/** Words as a sentence-case phrase: the first capitalised, the rest lower case unless an acronym (URL). */
const sentence = (words: readonly string[]) =>
  words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : /^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ');

/** "List all Tax Rates" -> "Tax rates"; a list without a "List ..." summary goes by its tag. */
function titleOf(collection: Collection, summary: string | undefined): string {
  const listed = summary && /^list\s+(?:all\s+|your\s+)?(.+)$/i.exec(summary.trim())?.[1];
  return sentence((listed || collection.list?.tags[0] || collection.name.split('/').pop() || collection.name).split(/[\s-]+/));
}

const kebab = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const plural = (word: string) => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`);

/** The collection a `<thing>Id` or `<thing>Ids` field names, by its path: customerId -> /customers. */
function linkOf(field: string, names: ReadonlySet<string>): string | undefined {
  const thing = /^(.+?)Ids?$/.exec(field)?.[1];
  if (!thing || thing === 'sequenceAccount') return undefined;
  const wanted = plural(kebab(thing));
  return [...names].find((name) => name.split('/').pop() === wanted);
}

/** Tiers of columns, each with how many of its fields a row shows, in reading order. */
const TIERS: { test: (field: string, own: string) => boolean; most: number }[] = [
  // What names the record: its own number first (invoiceNumber on an invoice), then names.
  { test: (f, own) => f === own || /^(name|legalName|title)$/.test(f), most: 1 },
  { test: (f) => /^(label|value|email|eventType|seatType)$/.test(f) || /Alias$/.test(f), most: 2 },
  { test: (f) => f === 'status', most: 1 },
  { test: (f) => f.endsWith('Status'), most: 1 },
  { test: (f) => f === 'currency', most: 1 },
  { test: (f) => /(Total|Amount|amount|balance|price)$/.test(f), most: 1 },
  { test: (f) => /(At|Date|Timestamp)$/.test(f), most: 1 },
];

/** Up to eight columns of a list's items, in the order a person reads a row; links to other records after the name. */
function columnsOf(conformer: Conformer, item: unknown, names: ReadonlySet<string>, own: string): Column[] {
  const scalar = (field: string) => {
    const schema = conformer.resolve(conformer.child(item, field));
    if (!isObject(schema)) return false;
    if (schema.type === 'array') return (conformer.resolve(schema.items) as { type?: unknown } | undefined)?.type === 'string';
    return ['string', 'number', 'integer', 'boolean'].includes(String(schema.type)) || Array.isArray(schema.enum);
  };
  const fields = [...conformer.properties(item)].filter((f) => f !== 'id' && f !== 'sequenceAccountId' && scalar(f));
  // A gross total says more than a net one: the amount a customer is asked for.
  const pick = (test: (field: string) => boolean, most: number) =>
    fields
      .filter(test)
      .sort((a, b) => Number(b.startsWith('gross')) - Number(a.startsWith('gross')))
      .slice(0, most);
  const links = fields.filter((f) => linkOf(f, names) !== undefined).slice(0, 2);
  const [naming, ...rest] = TIERS.map((tier) => pick((f) => !links.includes(f) && tier.test(f, own), tier.most));
  const chosen = [...new Set([...naming!, ...links, ...rest.flat()])].slice(0, 8);
  return chosen.map((field) => {
    const link = linkOf(field, names);
    return { field, heading: heading(field), ...(link !== undefined && { link }) };
  });
}

/** The field numbering a collection's records: /credit-notes -> creditNoteNumber. */
const ownNumber = (name: string) =>
  `${(name.split('/').pop() ?? '')
    .replace(/ies$/, 'y')
    .replace(/s$/, '')
    .replace(/-([a-z])/g, (_m: string, c: string) => c.toUpperCase())}Number`;

const made = new WeakMap<readonly Collection[], Entry[]>();

/** The collections a page can list, read from the document once per document. */
export function catalogue(collections: readonly Collection[], conformer: Conformer): Entry[] {
  const known = made.get(collections);
  if (known) return known;
  const summaryOf = (c: Collection) => {
    const summary = c.list && conformer.schema(pointer('paths', c.list.path, c.list.method))?.summary;
    return typeof summary === 'string' ? summary : undefined;
  };
  const listed = collections.filter((c) => !c.parent && c.list);
  const names = new Set(listed.map((c) => c.name));
  const entries = listed
    .map((collection): Entry => {
      const page = collection.list!.responseSchema ? conformer.schema(collection.list!.responseSchema) : undefined;
      const item = collection.single ? page : conformer.itemsOf(conformer.child(page, 'items'));
      const children = collections
        .filter((c) => c.parent?.collection === collection.name && c.list)
        .map((c) => ({ title: titleOf(c, summaryOf(c)), path: c.name }));
      return {
        name: collection.name,
        title: titleOf(collection, summaryOf(collection)),
        single: collection.single === true,
        ...(collection.itemPath !== undefined && { itemPath: collection.itemPath }),
        columns: columnsOf(conformer, item, names, ownNumber(collection.name)),
        children,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
  made.set(collections, entries);
  return entries;
}
