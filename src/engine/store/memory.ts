// The default store: per partition, one Records per collection (collection.ts: a Map in creation
// order, the indexes the collection declares, built the first time it is used through its
// declaration (a filter: the first time it is read) and kept as records change, and a sorted array
// for ordered collections).
import { PendingPartition, frozen } from './pending.js';
import { Records } from './collection.js';
import type { CollectionSpec, Partition, PartitionSnapshot, SortedView, SortKey, Store, StoredRecord } from './types.js';

export { compareKeys, lowerBound } from './collection.js';

export class MemoryPartition implements Partition {
  private readonly collections = new Map<string, Records>();

  /**
   * `initial` is copied in whole. A partition made from the store's starting data is given that
   * data's shared, frozen partition as `base` instead, and copies a collection of it only when it
   * first writes to that collection: the fixtures hold a dozen collections (settings, products,
   * users, seat balances...) that a client writing customers never touches, and a copy of each in
   * every partition cost about 25 KB and 0.2 ms per partition (docs/benchmarks.md).
   */
  constructor(
    initial?: PartitionSnapshot,
    private readonly base?: MemoryPartition,
  ) {
    // structuredClone: every partition gets its own copy of the starting data to change.
    const data = initial ? structuredClone(initial) : undefined;
    for (const [name, records] of Object.entries(data?.collections ?? {})) {
      const target = this.own(name);
      for (const record of records) target.put(record);
    }
  }

  /** The collection as this partition reads it: its own copy, or the base's while it has none. */
  private readable(name: string): Records | undefined {
    return this.collections.get(name) ?? this.base?.collections.get(name);
  }

  /** The collection this partition changes: made on first use, from a copy of the base's if it has one. */
  private own(name: string): Records {
    let records = this.collections.get(name);
    if (records) return records;
    this.collections.set(name, (records = new Records()));
    const shared = this.base?.collections.get(name);
    if (shared) for (const record of shared.byId.values()) records.put(structuredClone(record));
    return records;
  }

  // The casts below are the one place a record read back is given its declared shape: records enter
  // a collection only through put() with the same declaration, or from a data file checked on load.
  private of<R extends StoredRecord>(spec: CollectionSpec<R>): Records {
    return (this.readable(spec.name) ?? this.own(spec.name)).declare(spec as CollectionSpec<StoredRecord>);
  }

  get<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): R | undefined {
    return this.readable(spec.name)?.byId.get(id) as R | undefined;
  }

  get size(): number {
    let records = 0;
    for (const collection of this.collections.values()) records += collection.byId.size;
    if (this.base) for (const [name, collection] of this.base.collections) if (!this.collections.has(name)) records += collection.byId.size;
    return records;
  }

  put<R extends StoredRecord>(spec: CollectionSpec<R>, record: R): void {
    this.own(spec.name)
      .declare(spec as CollectionSpec<StoredRecord>)
      .put(record);
  }

  delete<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): void {
    if (!this.readable(spec.name)?.byId.has(id)) return;
    this.own(spec.name)
      .declare(spec as CollectionSpec<StoredRecord>)
      .delete(id);
  }

  all<R extends StoredRecord>(spec: CollectionSpec<R>): readonly R[] {
    const records = this.readable(spec.name);
    if (!records) return [];
    if (spec.order) return [...this.of(spec).ordered!] as R[];
    return [...records.byId.values()] as R[];
  }

  find<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string): R[] {
    const records = this.of(spec);
    const ids = records.index(index).lookup(key);
    // One array per call, none for the usual single id (a customer's read finds its contacts).
    if (ids === undefined) return [];
    if (typeof ids === 'string') return [records.byId.get(ids) as R];
    const found: R[] = [];
    for (const id of ids) found.push(records.byId.get(id) as R);
    return found;
  }

  count<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string): number {
    // A collection this partition never wrote to has nothing to count, and is not made by asking
    // (every write to a partition asks whether it has webhook policies).
    if (!this.readable(spec.name)) return 0;
    return this.of(spec).index(index).count(key);
  }

  keys<R extends StoredRecord>(spec: CollectionSpec<R>, index: string): string[] {
    return this.of(spec).index(index).keys();
  }

  ordered<R extends StoredRecord>(spec: CollectionSpec<R>): SortedView<R> {
    const records = this.of(spec);
    const ordered = (records.ordered ?? []) as R[];
    const order = records.order as (record: R) => SortKey;
    return { length: ordered.length, keyAt: (i) => order(ordered[i]!), recordAt: (i) => ordered[i]! };
  }

  /** The records themselves, by collection (no copy): for freezing the shared starting data. */
  snapshotInPlace(): Record<string, StoredRecord[]> {
    const collections: Record<string, StoredRecord[]> = {};
    for (const [name, records] of this.collections) collections[name] = [...records.byId.values()];
    return collections;
  }

  snapshot(): PartitionSnapshot {
    const collections: Record<string, StoredRecord[]> = {};
    // The base's collections first, in its order: the order a partition copied in whole would have.
    const names = new Set([...(this.base?.collections.keys() ?? []), ...this.collections.keys()]);
    for (const name of names) {
      const records = this.readable(name)!;
      if (records.byId.size > 0) collections[name] = [...records.byId.values()];
    }
    return structuredClone({ collections });
  }
}

export interface MemoryStoreOptions {
  /** What every new partition starts with (the fixtures, generated customers), or nothing. */
  initial?: PartitionSnapshot;
  /**
   * The most partitions kept; past it the least recently used one is dropped, so a long-running
   * fake called with ever-new client ids (a test per random id) does not grow without limit.
   */
  maxPartitions?: number;
  /** Told of each partition dropped for room (the durable store journals it). */
  onEvict?: (clientId: string) => void;
}

export const DEFAULT_MAX_PARTITIONS = 1000;

/**
 * The most records one partition holds before a request that would add more is refused (507): with
 * MAX_PARTITIONS it bounds what the store can hold. 100k generated customers with their contacts
 * are about 300k records.
 */
export const MAX_PARTITION_RECORDS = 1_000_000;

/** The starting data as one read-only partition, shared by every client id that has not written yet. */
function frozenPartition(initial: PartitionSnapshot | undefined): MemoryPartition {
  const partition = new MemoryPartition(initial);
  for (const records of Object.values(partition.snapshotInPlace())) frozen(records);
  return partition;
}

export class MemoryStore implements Store {
  /**
   * Each partition with the turn it was last used in. Recency is a number written in place, not the
   * Map's order: moving an entry to the end on every request (delete, then set) makes V8 rebuild the
   * Map's table over and over (to shrink it, or to drop the deleted entries), and a long-lived Map's
   * new table is built in the old generation, so every request left garbage there (146 bytes a GET,
   * measured) and a read load brought mark-compacts of the whole store.
   */
  private readonly partitions = new Map<string, { partition: MemoryPartition; used: number }>();
  private turn = 0;
  private readonly initial: PartitionSnapshot | undefined;
  private shared: MemoryPartition | undefined;
  readonly maxPartitions: number;
  private readonly onEvict: ((clientId: string) => void) | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.initial = options.initial;
    this.maxPartitions = options.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    this.onEvict = options.onEvict;
  }

  partition(clientId: string): Partition {
    return (
      this.use(clientId) ??
      new PendingPartition(
        () => this.template(),
        () => this.use(clientId) ?? this.make(clientId, this.initial),
      )
    );
  }

  /** The client id's partition, if it has one, marked as the most recently used. */
  private use(clientId: string): MemoryPartition | undefined {
    const kept = this.partitions.get(clientId);
    if (kept) kept.used = ++this.turn;
    return kept?.partition;
  }

  /** A new partition for a client id, making room for it first. */
  private make(clientId: string, data: PartitionSnapshot | undefined): MemoryPartition {
    this.partitions.delete(clientId);
    // A scan per partition made past the cap (at most maxPartitions entries): rare, where a touch is
    // on every request.
    while (this.partitions.size >= this.maxPartitions) {
      const oldest = this.leastRecentlyUsed();
      this.partitions.delete(oldest);
      this.onEvict?.(oldest);
    }
    const partition = this.fresh(data);
    this.partitions.set(clientId, { partition, used: ++this.turn });
    return partition;
  }

  private leastRecentlyUsed(): string {
    let oldest: string | undefined;
    let turn = Infinity;
    for (const [id, { used }] of this.partitions)
      if (used < turn) {
        oldest = id;
        turn = used;
      }
    return oldest!;
  }

  /** The starting data as one frozen partition, made when first needed: what every partition reads until it writes. */
  private template(): MemoryPartition {
    return (this.shared ??= frozenPartition(this.initial));
  }

  /** A partition holding `data`: the store's starting data is shared until written, anything else copied. */
  private fresh(data: PartitionSnapshot | undefined): MemoryPartition {
    if (data === undefined || data !== this.initial) return new MemoryPartition(data);
    return new MemoryPartition(undefined, this.template());
  }

  partitionIds(): string[] {
    return [...this.partitions].sort(([, a], [, b]) => b.used - a.used).map(([id]) => id);
  }

  /** Replaces one partition (made if new, which may evict the least recently used) or every existing one. */
  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void {
    if (clientId !== undefined) return void this.make(clientId, data);
    for (const kept of this.partitions.values()) kept.partition = this.fresh(data);
  }

  get size(): number {
    return this.partitions.size;
  }

  /** Memory has nothing to flush. */
  commit(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
