// The durable store (DATA_FILE / --data): the memory store for every read, plus
//   - a lowdb JSON snapshot (the readable data file),
//   - an append-only journal (`<file>.journal.<n>`) of every mutation, fsynced in group commits
//     before the request that made it is answered,
//   - compaction of closed journals into the snapshot in a worker thread, and on clean shutdown.
// Start-up loads the snapshot and replays the journals. A write costs one journal line, whatever
// the store holds.
import { existsSync, realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadState, compact } from './compact.js';
import { acquireLock, JournalWriter } from './files.js';
import { DEFAULT_MAX_PARTITIONS, MemoryStore } from './memory.js';
import { DataFileError } from './data-file-error.js';
import type { ChangeLine } from './snapshot.js';
import type { CollectionSpec, Partition, PartitionSnapshot, Store, StoredRecord } from './types.js';

/** Journal size that triggers a background compaction (the default). */
export const COMPACT_AFTER_BYTES = 16 * 1024 * 1024;

export interface DurableStoreOptions {
  /** The starting data (fixtures, generated customers): what a partition first seen starts with. */
  initial?: PartitionSnapshot | undefined;
  compactAfterBytes?: number;
  /** Partitions kept; past it the least recently used is dropped, from the file too (as in memory). */
  maxPartitions?: number;
}
// The compiled worker: from src/ (tests) and dist/ alike this is <package>/dist/engine/store/.
const WORKER = new URL('../../../dist/engine/store/compact-worker.js', import.meta.url);

/** A partition whose writes are journaled. Reads go straight to memory. */
class JournaledPartition implements Partition {
  constructor(
    private readonly inner: Partition,
    private readonly id: string,
    private readonly log: (entry: ChangeLine) => void,
  ) {}
  get<R extends StoredRecord>(spec: CollectionSpec<R>, id: string) {
    return this.inner.get(spec, id);
  }
  all<R extends StoredRecord>(spec: CollectionSpec<R>) {
    return this.inner.all(spec);
  }
  find<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string) {
    return this.inner.find(spec, index, key);
  }
  count<R extends StoredRecord>(spec: CollectionSpec<R>, index: string, key: string) {
    return this.inner.count(spec, index, key);
  }
  keys<R extends StoredRecord>(spec: CollectionSpec<R>, index: string) {
    return this.inner.keys(spec, index);
  }
  ordered<R extends StoredRecord>(spec: CollectionSpec<R>) {
    return this.inner.ordered(spec);
  }
  snapshot() {
    return this.inner.snapshot();
  }
  get size() {
    return this.inner.size;
  }
  // Journal first: a journal that can no longer be written refuses the change before memory has it.
  put<R extends StoredRecord>(spec: CollectionSpec<R>, record: R): void {
    this.log({ t: 'rec', p: this.id, k: spec.name, r: record });
    this.inner.put(spec, record);
  }
  delete<R extends StoredRecord>(spec: CollectionSpec<R>, id: string): void {
    this.log({ t: 'del', p: this.id, k: spec.name, id });
    this.inner.delete(spec, id);
  }
}

export class DurableStore implements Store {
  private compacting: Promise<void> | undefined;
  /** The journal being closed by a rotation: lines appended to it are acknowledged by it. */
  private closing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly dataFile: string,
    private readonly memory: MemoryStore,
    private journal: JournalWriter,
    private sequence: number,
    private readonly initial: PartitionSnapshot | undefined,
    private readonly releaseLock: () => void,
    private readonly compactAfterBytes: number,
  ) {}

  /**
   * Opens (or creates) the data file. Refuses, changing nothing on disk, a file that is not a
   * valid sequence-mock snapshot, or one another server holds.
   */
  static async open(
    dataFile: string,
    { initial, compactAfterBytes = COMPACT_AFTER_BYTES, maxPartitions = DEFAULT_MAX_PARTITIONS }: DurableStoreOptions = {},
  ): Promise<DurableStore> {
    const file = resolvedDataFile(dataFile);
    if (!existsSync(path.dirname(file))) throw new DataFileError(`its directory ${path.dirname(file)} does not exist`);
    const releaseLock = acquireLock(`${file}.lock`, file);
    try {
      const journals = await listJournals(file);
      const state = await loadState(
        file,
        journals.map((j) => j.file),
        initial,
      );
      const partitions = Object.entries(state.toFile().partitions);
      // Refused rather than trimmed: starting with a lower cap must not drop stored data silently.
      if (partitions.length > maxPartitions)
        throw new DataFileError(
          `it holds ${partitions.length} partitions, more than MAX_PARTITIONS (${maxPartitions}); start with MAX_PARTITIONS=${partitions.length} or more`,
        );
      // Evictions are journaled once the store exists (none can happen while loading: checked above).
      let evicted: (clientId: string) => void = () => undefined;
      const memory = new MemoryStore({ ...(initial && { initial }), maxPartitions, onEvict: (id) => evicted(id) });
      for (const [id, data] of partitions) memory.reset(id, data);
      const sequence = (journals.at(-1)?.n ?? 0) + 1;
      const store = new DurableStore(
        file,
        memory,
        await JournalWriter.open(journalName(file, sequence)),
        sequence,
        initial,
        releaseLock,
        compactAfterBytes,
      );
      evicted = (id) => store.append({ t: 'drop', p: id });
      if (journals.length > 0) store.compactInBackground(Promise.resolve(journals.map((j) => j.file)));
      // Write the snapshot at once, so the data file exists (and can be inspected) from the start.
      else if (!existsSync(file)) await compact({ dataFile: file, journals: [], initial: undefined });
      return store;
    } catch (err) {
      releaseLock();
      throw err;
    }
  }

  partition(clientId: string): Partition {
    return new JournaledPartition(this.memory.partition(clientId), clientId, (entry) => this.append(entry));
  }

  partitionIds(): string[] {
    return this.memory.partitionIds();
  }

  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void {
    this.append({ t: 'reset', p: clientId ?? null, d: data ?? null });
    this.memory.reset(clientId, data);
  }

  /** Resolves once every mutation so far is on disk: answer a request only after it. */
  commit(): Promise<void> {
    // A mutation made just before a rotation sits in the journal being closed, not the new one.
    return this.closing ? Promise.all([this.closing, this.journal.commit()]).then(() => undefined) : this.journal.commit();
  }

  append(entry: ChangeLine): void {
    if (this.closed) throw new Error('the data file is closed');
    if (this.journal.failure) throw this.journal.failure;
    this.journal.append(entry);
    if (this.journal.bytes > this.compactAfterBytes && !this.compacting) this.compactInBackground(this.rotate());
  }

  /** Starts a new journal; resolves to the closed ones (this one and any older), oldest first. */
  private async rotate(): Promise<string[]> {
    const closed = this.journal;
    this.sequence += 1;
    const next = await JournalWriter.open(journalName(this.dataFile, this.sequence));
    this.journal = next;
    // Lines appended to the old writer before the switch are flushed and acknowledged by it.
    this.closing = closed.close();
    try {
      await this.closing;
    } finally {
      this.closing = undefined;
    }
    return (await listJournals(this.dataFile)).filter((j) => j.n < this.sequence).map((j) => j.file);
  }

  private compactInBackground(journals: Promise<string[]>): void {
    this.compacting = journals
      .then(
        (files) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(WORKER, { workerData: { dataFile: this.dataFile, journals: files, initial: this.initial } });
            worker.once('message', (result: { ok: boolean; error?: string }) => (result.ok ? resolve() : reject(new Error(result.error))));
            worker.once('error', reject);
          }),
      )
      // A failed compaction loses nothing: the journals stay and are replayed at the next start.
      .catch((err: unknown) => process.emitWarning(`sequence-mock: background compaction failed: ${String(err)}`))
      .finally(() => {
        this.compacting = undefined;
      });
  }

  /** Flushes, folds every journal into the snapshot, and releases the data file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A compaction may still be rotating to a new journal: let it, then close whichever is current.
    await this.compacting;
    await this.journal.close();
    await compact({ dataFile: this.dataFile, journals: (await listJournals(this.dataFile)).map((j) => j.file), initial: this.initial });
    this.releaseLock();
  }
}

const journalName = (file: string, n: number) => `${file}.journal.${n}`;

/**
 * The data file's real path: a symlink is followed, so the lock and the rewrites are those of the
 * file it points at (a link to a locked file is refused, and stays a link).
 */
function resolvedDataFile(dataFile: string): string {
  const file = path.resolve(dataFile);
  try {
    return realpathSync(file);
  } catch {
    return file; // not there yet: made at the first write
  }
}

async function listJournals(file: string): Promise<{ n: number; file: string }[]> {
  const prefix = `${path.basename(file)}.journal.`;
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ n: Number(name.slice(prefix.length)), file: path.join(path.dirname(file), name) }))
    .sort((a, b) => a.n - b.n);
}
