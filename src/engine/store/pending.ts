// A partition not made yet: what a client id that has only read sees. Kept apart from the memory
// store so each file says one thing.
import type { CollectionSpec, Partition, StoredRecord } from './types.js';

/** Deep-freezes the shared starting data: a change to it would leak into every new partition's reads. */
export function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The partition of a client id that has written nothing yet: reads see the starting data (one
 * shared, frozen copy), and the first write makes the real partition. So reads with ever-new client
 * ids (a scan, a typo, a GET per random id) hold no memory and evict nobody.
 */
export class PendingPartition implements Partition {
  private real: Partition | undefined;
  constructor(
    private readonly template: () => Partition,
    private readonly materialize: () => Partition,
  ) {}
  private read(): Partition {
    return this.real ?? this.template();
  }
  private write(): Partition {
    return (this.real ??= this.materialize());
  }
  get<R extends StoredRecord>(spec: CollectionSpec<R>, id: string) {
    return this.read().get(spec, id);
  }
  all<R extends StoredRecord>(spec: CollectionSpec<R>) {
    return this.read().all(spec);
  }
  find<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string) {
    return this.read().find(spec, index, key);
  }
  count<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string) {
    return this.read().count(spec, index, key);
  }
  keys<R extends StoredRecord>(spec: CollectionSpec<R>, index: string) {
    return this.read().keys(spec, index);
  }
  ordered<R extends StoredRecord>(spec: CollectionSpec<R>) {
    return this.read().ordered(spec);
  }
  snapshot() {
    return this.read().snapshot();
  }
  get size() {
    return this.read().size;
  }
  put<R extends StoredRecord>(spec: CollectionSpec<R>, record: R): void {
    this.write().put(spec, record);
  }
  delete<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): void {
    this.write().delete(spec, id);
  }
}
