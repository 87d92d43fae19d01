// Compaction: fold closed journals into the snapshot, through lowdb (with the fsyncing adapter).
// Runs in a worker thread (compact-worker.ts) while serving, so parsing and writing a large
// snapshot never stalls the event loop; runs in-process at shutdown.
import { Low } from 'lowdb';
import { DurableJSONFile, readJournal, removeFile } from './files.js';
import { checkSnapshot, emptySnapshot, ReplayState, type SnapshotFile } from './snapshot.js';
import type { PartitionSnapshot } from './types.js';

export interface CompactJob {
  dataFile: string;
  /** Closed journals, oldest first; deleted once their entries are in the snapshot. */
  journals: string[];
  initial: PartitionSnapshot | undefined;
}

export async function loadState(dataFile: string, journals: string[], initial: PartitionSnapshot | undefined): Promise<ReplayState> {
  const db = new Low<SnapshotFile>(new DurableJSONFile(dataFile), emptySnapshot());
  await db.read();
  const state = new ReplayState(checkSnapshot(db.data), initial);
  for (const journal of journals) for (const entry of await readJournal(journal)) state.apply(entry);
  return state;
}

export async function compact({ dataFile, journals, initial }: CompactJob): Promise<void> {
  const state = await loadState(dataFile, journals, initial);
  const file = state.toFile();
  // What is written must be what a start accepts: a state the check refuses is never made the
  // snapshot (a start would then refuse the file for ever); the journals stay, and so does the error.
  checkSnapshot(file);
  const db = new Low<SnapshotFile>(new DurableJSONFile(dataFile), file);
  await db.write();
  // Only now is every journaled entry in the (fsynced) snapshot.
  for (const journal of journals) await removeFile(journal);
}
