// The records of resources the API lists and reads but never creates (users, accounts, discounts,
// activity logs, quotes, ...): the document's own examples, as the documented customers are, so a
// client reading the example's ids finds them and every other id is a 404. Derived from the document
// on each start, never kept in a hand list.
import { primaryExample, type Collection } from './contract/operations.js';
import type { StoredRecord } from './store/types.js';

const isRecord = (value: unknown): value is StoredRecord =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';

/** Each create-less collection's documented records, by collection name: the list example's items and the item read's example; a setting's example. */
export function documentFixtures(collections: readonly Collection[]): Record<string, StoredRecord[]> {
  const fixtures: Record<string, StoredRecord[]> = {};
  for (const collection of collections) {
    if (collection.create || collection.parent || collection.name.startsWith('/__')) continue;
    if (collection.single) {
      const record = collection.list && primaryExample(collection.list);
      if (isRecord(record)) fixtures[collection.name] = [structuredClone(record)];
      continue;
    }
    const page = collection.list && primaryExample(collection.list);
    const read = collection.read && primaryExample(collection.read);
    const items = typeof page === 'object' && page !== null ? (page as { items?: unknown }).items : undefined;
    const byId = new Map<string, StoredRecord>();
    // A listed item has fewer fields than the item read answers: the read's example is under it.
    for (const item of Array.isArray(items) ? items : [])
      if (isRecord(item)) byId.set(item.id, { ...(isRecord(read) ? read : {}), ...item });
    if (isRecord(read)) byId.set(read.id, { ...byId.get(read.id), ...read });
    if (byId.size > 0) fixtures[collection.name] = structuredClone([...byId.values()]);
  }
  return fixtures;
}
