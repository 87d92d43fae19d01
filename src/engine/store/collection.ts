// One collection of a partition in memory: its records by id, the indexes declared on it, and the
// sorted list an ordered collection keeps. The memory store (memory.ts) holds one per collection.
import type { CollectionSpec, IndexKeys, SortKey, StoredRecord } from './types.js';

/** (value, createdAt, id); a missing value sorts after every value (NULLS LAST when ascending). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value !== undefined || b.value !== undefined) {
    const av = a.value ?? null;
    const bv = b.value ?? null;
    if (av !== bv) return av === null ? 1 : bv === null ? -1 : av < bv ? -1 : 1;
  }
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** First index whose key is >= `key` in an ascending list. */
export function lowerBound(length: number, keyAt: (index: number) => SortKey, key: SortKey): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(keyAt(mid), key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Key -> ids. Most keys (names, labels, a contact's customer) hold one record or a few, so a lone id
 * is kept as a string and a few as an array; a Set is made only past SMALL ids (a Set per customer
 * cost about 0.3 KB each at 100k customers, measured by npm run bench). Ids stay in the order they
 * entered the key.
 */
const SMALL = 16;
class MultiIndex {
  private readonly map = new Map<string, string | string[] | Set<string>>();
  add(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids === undefined || ids === id) this.map.set(key, id);
    else if (typeof ids === 'string') this.map.set(key, [ids, id]);
    else if (Array.isArray(ids)) {
      if (ids.includes(id)) return;
      if (ids.length < SMALL) ids.push(id);
      else this.map.set(key, new Set([...ids, id]));
    } else ids.add(id);
  }
  delete(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids === undefined) return;
    if (ids === id) this.map.delete(key);
    else if (Array.isArray(ids)) {
      const at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
      if (ids.length === 1) this.map.set(key, ids[0]!);
    } else if (typeof ids !== 'string' && ids.delete(id) && ids.size === 1) this.map.set(key, ids.values().next().value!);
  }
  /** The ids under a key as held: read them, do not keep or change them. */
  lookup(key: string): string | readonly string[] | ReadonlySet<string> | undefined {
    return this.map.get(key);
  }
  count(key: string): number {
    const ids = this.map.get(key);
    return ids === undefined ? 0 : typeof ids === 'string' ? 1 : Array.isArray(ids) ? ids.length : ids.size;
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

const listOf = (keys: string | readonly string[] | undefined): readonly string[] =>
  keys === undefined ? [] : typeof keys === 'string' ? [keys] : keys;

/** One collection of a partition: its records and whatever indexes have been declared on it so far. */
export class Records {
  readonly byId = new Map<string, StoredRecord>();
  /** The declarations already built, so a declaration is read once, not on every use. */
  private readonly declared = new WeakSet<CollectionSpec<StoredRecord>>();
  readonly indexes = new Map<string, { keys: IndexKeys<StoredRecord>; index: MultiIndex }>();
  /** Declared filters not read yet: built by index() on their first read. */
  private readonly unread = new Map<string, IndexKeys<StoredRecord>>();
  /**
   * Records only: a key is computed again when a search reads it (log n per write or seek), as a
   * stored key object per record cost about 0.1 KB per customer at 100k (npm run bench).
   */
  ordered: StoredRecord[] | undefined;
  order: ((record: StoredRecord) => SortKey) | undefined;

  /**
   * Builds the indexes `spec` declares and this collection does not have yet, from the records
   * already here; its filters wait for their first read (index()).
   */
  declare(spec: CollectionSpec<StoredRecord>): this {
    if (this.declared.has(spec)) return this;
    this.declared.add(spec);
    for (const [name, keys] of Object.entries(spec.indexes)) if (!this.indexes.has(name)) this.build(name, keys);
    for (const [name, keys] of Object.entries(spec.filters)) if (!this.indexes.has(name)) this.unread.set(name, keys);
    if (spec.order && !this.ordered) {
      const order = spec.order;
      this.order = order;
      this.ordered = [...this.byId.values()]
        .map((record) => ({ key: order(record), record }))
        .sort((a, b) => compareKeys(a.key, b.key))
        .map((entry) => entry.record);
    }
    return this;
  }

  put(record: StoredRecord): void {
    const previous = this.byId.get(record.id);
    this.byId.set(record.id, record);
    for (const { keys, index } of this.indexes.values()) {
      const after = keys(record);
      if (!previous) {
        if (typeof after === 'string') index.add(after, record.id);
        else if (after) for (const key of after) index.add(key, record.id);
        continue;
      }
      const before = keys(previous);
      if (before === after) continue;
      if (typeof before === 'string' && typeof after === 'string') {
        index.delete(before, record.id);
        index.add(after, record.id);
      } else this.move(index, record.id, listOf(before), listOf(after));
    }
    if (this.ordered && this.order) {
      const ordered = this.ordered;
      const key = this.order(record);
      if (previous) {
        const oldKey = this.order(previous);
        const at = this.position(oldKey);
        if (compareKeys(oldKey, key) === 0) return void (ordered[at] = record);
        ordered.splice(at, 1);
      }
      // A new record is usually the newest (created now): appended without a search.
      const last = ordered.at(-1);
      if (last === undefined || compareKeys(this.order(last), key) < 0) ordered.push(record);
      else ordered.splice(this.position(key), 0, record);
    }
  }

  /** Only keys that changed move, so a record keeps its place among the others under a key. */
  private move(index: MultiIndex, id: string, before: readonly string[], after: readonly string[]): void {
    // The usual change of a list of keys: the same keys, or one appended (an organization's new member).
    if (after.length >= before.length && before.every((key, i) => after[i] === key)) {
      for (let i = before.length; i < after.length; i += 1) index.add(after[i]!, id);
      return;
    }
    // Sets for long key lists (an organization's members), so a change is linear, not quadratic.
    const had = before.length > SMALL ? new Set(before) : before;
    const has = after.length > SMALL ? new Set(after) : after;
    const includes = (list: readonly string[] | Set<string>, key: string) => (list instanceof Set ? list.has(key) : list.includes(key));
    for (const key of before) if (!includes(has, key)) index.delete(key, id);
    for (const key of after) if (!includes(had, key)) index.add(key, id);
  }

  private position(key: SortKey): number {
    const ordered = this.ordered!;
    const order = this.order!;
    return lowerBound(ordered.length, (i) => order(ordered[i]!), key);
  }

  delete(id: string): void {
    const previous = this.byId.get(id);
    if (!previous) return;
    this.byId.delete(id);
    for (const { keys, index } of this.indexes.values()) for (const key of listOf(keys(previous))) index.delete(key, id);
    if (this.ordered && this.order) this.ordered.splice(this.position(this.order(previous)), 1);
  }

  index(name: string): MultiIndex {
    const found = this.indexes.get(name);
    if (found) return found.index;
    const keys = this.unread.get(name);
    if (!keys) throw new Error(`no index ${name} declared`);
    this.unread.delete(name);
    return this.build(name, keys);
  }

  /** Indexes the records already here, then keeps the index as they change. */
  private build(name: string, keys: IndexKeys<StoredRecord>): MultiIndex {
    const index = new MultiIndex();
    for (const record of this.byId.values()) for (const key of listOf(keys(record))) index.add(key, record.id);
    this.indexes.set(name, { keys, index });
    return index;
  }
}
