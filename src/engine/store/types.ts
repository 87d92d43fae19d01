// One storage model for every resource: partition (a client id) -> collection -> id -> record. A
// collection is named by the document's path for it (/customers, /billing-schedules,
// /invoices/{id}/line-items with the parent's id filled in). What a resource reads by something
// other than id it declares as an index on its collection; the store keeps the index as records
// change, so no read scans a partition. Nothing here knows what a customer is.

/** A stored resource: any JSON object with an id. */
export interface StoredRecord {
  id: string;
  [field: string]: unknown;
}

/** A position in a sorted list: what a cursor carries. `value` leads when a list sorts by a field's value. */
export interface SortKey {
  value?: string | null;
  createdAt: number;
  id: string;
}

/** A sorted list of records read by position (ascending keys): what a cursor walks. */
export interface SortedView<R> {
  readonly length: number;
  keyAt(index: number): SortKey;
  recordAt(index: number): R;
}

/** A view over entries already in ascending key order. */
export function sortedView<R>(entries: readonly { key: SortKey; record: R }[]): SortedView<R> {
  return { length: entries.length, keyAt: (i) => entries[i]!.key, recordAt: (i) => entries[i]!.record };
}

/** The keys a record is found under in one index; none leaves it out. */
export type IndexKeys<R> = (record: R) => string | readonly string[] | undefined;

/**
 * A collection as the code that reads and writes it declares it: its name, its indexes and, for
 * lists walked by cursor over many records, the order the store keeps them in. The type parameter
 * is the record's shape, so reads through a declared collection are typed.
 */
export interface CollectionSpec<R extends StoredRecord = StoredRecord> {
  readonly name: string;
  /** Kept from the collection's first use: a read finds ids under a key in the order they entered it. */
  readonly indexes: Readonly<Record<string, IndexKeys<R>>>;
  /**
   * Indexes only searches read, which sort or count what they find: built the first time one is
   * read, and kept from then on. Until then a write does not pay for them. Ids built from records
   * already there are in the collection's order of insertion.
   */
  readonly filters: Readonly<Record<string, IndexKeys<R>>>;
  /** Kept sorted by this key (ascending); without it, a collection lists in the order records were made. */
  readonly order?: (record: R) => SortKey;
}

/** Declares a collection; the store builds its indexes on first use, so declarations need no registration. */
export function collection<R extends StoredRecord>(
  name: string,
  declared: { indexes?: Record<string, IndexKeys<R>>; filters?: Record<string, IndexKeys<R>>; order?: (record: R) => SortKey } = {},
): CollectionSpec<R> {
  return { name, indexes: declared.indexes ?? {}, filters: declared.filters ?? {}, ...(declared.order && { order: declared.order }) };
}

/** A collection with no indexes, by name: the document's generic collections. */
export const named = (name: string): CollectionSpec => collection(name);

/** A partition's whole state as plain data: the data file's per-partition part, the fixtures. */
export interface PartitionSnapshot {
  /** Collection name -> its records, in the order they were made. */
  collections: Record<string, StoredRecord[]>;
}

/** One client id's data. Sequence accounts never see each other's, and neither do partitions. */
export interface Partition {
  get<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): R | undefined;
  /** Inserts or replaces (by id); a replaced record keeps its place in the collection's order. */
  put<R extends StoredRecord>(spec: CollectionSpec<R>, record: R): void;
  delete<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): void;
  /** Every record, in the collection's order. */
  all<R extends StoredRecord>(spec: CollectionSpec<R>): readonly R[];
  /** The records an index holds under a key, in the order they entered it (see CollectionSpec.filters). */
  find<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string): R[];
  /** How many records an index holds under a key. */
  count<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string): number;
  /** Every key of an index. */
  keys<R extends StoredRecord>(spec: CollectionSpec<R>, index: string): string[];
  /** The records of an ordered collection with their keys, ascending. */
  ordered<R extends StoredRecord>(spec: CollectionSpec<R>): SortedView<R>;
  snapshot(): PartitionSnapshot;
  /** Records held, every collection together. */
  readonly size: number;
}

export interface Store {
  /** The partition of a client id, made (with the starting data) on first use. */
  partition(clientId: string): Partition;
  /** The client ids that have a partition, the most recently used first (for the dashboard's picker). */
  partitionIds(): string[];
  /** Replaces one partition (or every existing one) with a fresh one holding `data`, or nothing. */
  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void;
  /** Resolves once every change made so far is durable; a 2xx is sent only after it. */
  commit(): Promise<void>;
  /** Flushes and lets go of any files. */
  close(): Promise<void>;
}
