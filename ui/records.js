// Every collection of the partition, from the catalogue the admin API derives from Sequence's
// document (GET /__admin/collections): an index, a table per collection with readable headings and
// links between records, and any record with its fields, its nested lists and its JSON.
import { call, itemUrl, recordHref } from './api.js';
import { $, h, heading, pairs, put, say, table, when } from './dom.js';

let catalogue;
/** The catalogue, asked once: it is the document's, the same for every partition. */
export async function collections() {
  catalogue ??= (await call('GET', '/__admin/collections')).items;
  return catalogue;
}
const entryOf = async (name) => (await collections()).find((entry) => entry.name === name);

/** What a record is called: its first naming column's value, else its id. */
function nameOf(entry, record) {
  const naming = entry?.columns.find((column) => !column.link && typeof record[column.field] === 'string' && record[column.field]);
  return naming ? record[naming.field] : record.id;
}

/** Names of linked records, read once per view: a link reads "Acme Ltd", not a UUID. */
export function namer() {
  const known = new Map();
  return async (collection, id) => {
    const key = `${collection} ${id}`;
    if (!known.has(key))
      known.set(
        key,
        (async () => {
          const entry = await entryOf(collection);
          if (!entry?.itemPath) return id;
          return nameOf(entry, await call('GET', itemUrl(entry.itemPath, id)).catch(() => ({ id })));
        })(),
      );
    return known.get(key);
  };
}

/** A link to a record, named. */
export async function linkTo(collection, id, names) {
  return h('a', { href: recordHref(collection, id) }, await names(collection, id));
}

/** A cell of a catalogue column: links for ids, dates as dates, the rest as text. */
async function cell(column, value, names) {
  if (value === undefined || value === null || value === '') return '';
  if (column.link) {
    const ids = Array.isArray(value) ? value : [value];
    const links = await Promise.all(ids.map((id) => linkTo(column.link, id, names)));
    return links.flatMap((link, i) => (i === 0 ? [link] : [', ', link]));
  }
  if (/(At|Timestamp)$/.test(column.field) && typeof value === 'string') return when(value);
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** #/records: every collection the partition can list, by title. */
export async function showIndex(isCurrent) {
  const entries = await collections();
  if (!isCurrent()) return;
  $('#records').replaceChildren(
    h('h2', { id: 'records-title' }, 'All resources'),
    h('p', { class: 'hint' }, "Every collection in Sequence's document that a client can list, in this partition."),
    h(
      'ul',
      { class: 'catalogue' },
      ...entries.map((entry) => h('li', {}, h('a', { href: `#/records/${encodeURIComponent(entry.name)}` }, entry.title))),
    ),
  );
  say('');
}

/** #/records/<collection>: its list, one page of 50, with the catalogue's columns. */
export async function showCollection(name, isCurrent, after) {
  const entry = await entryOf(name);
  if (!entry) throw new Error(`No collection ${name} in the document.`);
  if (entry.single) return showRecord(name, undefined, isCurrent);
  const query = new URLSearchParams({ limit: '50', ...(after && { after }) });
  const page = await call('GET', `/api${name}?${query}`);
  const items = page.items ?? [];
  const names = namer();
  // The first column names the record and links to it; without a naming column, its id does.
  const naming = entry.columns[0] && !entry.columns[0].link ? entry.columns[0] : undefined;
  const others = entry.columns.filter((column) => column !== naming);
  const rows = await Promise.all(
    items.map(async (record) => {
      const label = (naming && record[naming.field]) || record.id;
      return h(
        'tr',
        {},
        h('td', {}, entry.itemPath ? h('a', { href: recordHref(name, record.id) }, label) : label),
        ...(await Promise.all(others.map(async (column) => h('td', {}, await cell(column, record[column.field], names))))),
      );
    }),
  );
  if (!isCurrent()) return;
  const total = page.pagination?.totalResultSize;
  put(
    $('#records'),
    h('p', {}, h('a', { href: '#/records' }, 'All resources')),
    h('h2', { id: 'records-title' }, entry.title),
    table(
      `${total ?? items.length} ${entry.title.toLowerCase()} of this partition`,
      [naming?.heading ?? 'Id', ...others.map((column) => column.heading)],
      rows,
      `No ${entry.title.toLowerCase()} yet.`,
    ),
    page.pagination?.after && items.length > 0
      ? h('a', { href: `#/records/${encodeURIComponent(name)}?after=${encodeURIComponent(page.pagination.after)}` }, 'Next page')
      : undefined,
  );
  say('');
}

/** A value of a record as a person reads it: linked ids, nested fields, lists of objects as tables. */
async function shown(field, value, names, links) {
  const link = links.get(field);
  if (link && (typeof value === 'string' || Array.isArray(value)) && value.length > 0) return cell({ field, link }, value, names);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.join(', ');
    const keys = [...new Set(value.flatMap((v) => Object.keys(v ?? {})))].slice(0, 8);
    const rows = await Promise.all(
      value.map(async (v) => h('tr', {}, ...(await Promise.all(keys.map(async (k) => h('td', {}, await shown(k, v?.[k], names, links))))))),
    );
    return table(heading(field), keys.map(heading), rows, 'none', { hiddenCaption: true });
  }
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [heading(k), await shown(k, v, names, links)]));
    return pairs(entries, {}, 'none');
  }
  if (/(At|Timestamp)$/.test(field) && typeof value === 'string') return when(value);
  return value === null || value === undefined ? '' : String(value);
}

/** Which fields of a record link where: every `<thing>Id` the catalogue knows a collection for. */
async function linksOf() {
  const links = new Map();
  for (const entry of await collections()) for (const column of entry.columns) if (column.link) links.set(column.field, column.link);
  return links;
}

/** #/records/<collection>/<id>: one record, with the collections nested under it. */
export async function showRecord(name, id, isCurrent) {
  const entry = await entryOf(name);
  if (!entry) throw new Error(`No collection ${name} in the document.`);
  const record = await call('GET', id === undefined ? `/api${name}` : itemUrl(entry.itemPath, id));
  const names = namer();
  const links = await linksOf();
  const fields = await Promise.all(
    Object.entries(record)
      .filter(([field]) => field !== 'id')
      .map(async ([field, value]) => [heading(field), await shown(field, value, names, links)]),
  );
  const children = await Promise.all(
    entry.children.map(async (child) => {
      const page = await call('GET', `/api${child.path.replace(/\{[^}]+\}/, encodeURIComponent(record.id))}?limit=100`).catch(
        () => undefined,
      );
      return [child.title, page ? await shown(child.title, page.items ?? [], names, links) : 'not listed'];
    }),
  );
  if (!isCurrent()) return;
  $('#records').replaceChildren(
    h('p', {}, h('a', { href: `#/records/${encodeURIComponent(name)}` }, entry.title)),
    h('h2', { id: 'records-title' }, `${entry.title}: ${nameOf(entry, record)}`),
    pairs([['Id', record.id === undefined ? undefined : h('code', {}, record.id)], ...fields], { class: 'record' }),
    ...children.flatMap(([title, content]) => [h('h3', {}, title), content]),
    h('details', {}, h('summary', {}, 'As JSON'), h('pre', {}, JSON.stringify(record, null, 2))),
  );
  say('');
}
