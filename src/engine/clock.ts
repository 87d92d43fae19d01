// Where time and new ids come from. Every record the fake writes takes its timestamps and ids from
// one Clock, so tests and generated data can fix both, and a partition can later run on a clock of
// its own.
import { randomUUID } from 'node:crypto';
import { collection, type Partition } from './store/types.js';

export interface Clock {
  now(): Date;
  newId(): string;
}

/**
 * A random UUID as one flat string. node's randomUUID builds its text by concatenation, which V8 keeps
 * as a tree of a dozen or so string pieces until something flattens it; the store keeps ids for
 * good, and a heap snapshot of stored customers counted about 14 such pieces per customer, a fifth of
 * its heap objects, each one marked again by every full collection. toLowerCase flattens the text
 * (already lower case, it is otherwise unchanged).
 */
export const newId = (): string => randomUUID().toLowerCase();

export const systemClock: Clock = { now: () => new Date(), newId };

/**
 * A partition's test clock: the server's time moved by an offset, set and advanced through the admin
 * API. It keeps running from where it was put (so records made one after another still sort in the
 * order they were made); a partition without one runs on the server's clock.
 */
export const TEST_CLOCK = collection<{ id: string; offsetMs: number }>('/__clock');
const CLOCK_ID = 'clock';

/** The clock a partition's records take their times from. */
export function clockOf(partition: Partition, base: Clock): Clock {
  const set = partition.get(TEST_CLOCK, CLOCK_ID);
  if (!set) return base;
  return { now: () => new Date(base.now().getTime() + set.offsetMs), newId: () => base.newId() };
}

/** Moves a partition's clock so that it reads `to` now; undefined puts it back on the server's clock. */
export function setClock(partition: Partition, base: Clock, to: Date | undefined): void {
  if (to === undefined) partition.delete(TEST_CLOCK, CLOCK_ID);
  else partition.put(TEST_CLOCK, { id: CLOCK_ID, offsetMs: to.getTime() - base.now().getTime() });
}
