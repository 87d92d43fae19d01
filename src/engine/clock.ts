// Where time and new ids come from. Every record the fake writes takes its timestamps and ids from
// one Clock, so tests and generated data can fix both, and a partition can later run on a clock of
// its own.
import { randomUUID } from 'node:crypto';

export interface Clock {
  now(): Date;
  newId(): string;
}

export const systemClock: Clock = { now: () => new Date(), newId: randomUUID };
