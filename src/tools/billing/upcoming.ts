// The upcoming invoice (IN_PROGRESS): after each run, the charges a schedule has next, priced from
// the usage so far. POST /invoices/{id}/draft makes it the user's DRAFT ("Updates to DRAFT status and
// recalculates invoice"), and the run that reaches its day leaves those charges billed. One still
// IN_PROGRESS is the run's own: the next run replaces it.
import type { Clock } from '../../engine/clock.js';
import type { Engine } from '../../engine/engine.js';
import { collection, named, type Partition, type StoredRecord } from '../../engine/store/types.js';
import { invoice, request } from './invoice.js';
import { addDays } from './periods.js';
import { charges } from './runs.js';

const INVOICES = named('/invoices');
/** Per schedule: its upcoming invoice and the charges on it. */
const UPCOMING = collection<{ id: string; invoiceId: string; keys: string[] }>('/__billing/upcoming');

/** The keys of the charges the user took as a draft since the last run; the run's own upcoming invoice goes. */
export function settleUpcoming(engine: Engine, partition: Partition, clientId: string, base: Clock, schedule: StoredRecord): string[] {
  const upcoming = partition.get(UPCOMING, schedule.id);
  if (!upcoming) return [];
  partition.delete(UPCOMING, schedule.id);
  const made = partition.get(INVOICES, upcoming.invoiceId);
  if (!made) return [];
  if (made.status !== 'IN_PROGRESS') return upcoming.keys;
  const day = typeof made.createdAt === 'string' ? made.createdAt.slice(0, 10) : '1970-01-01';
  engine.answer('delete /invoices/{id}', request(partition, clientId, base, day, { id: made.id }));
  return [];
}

/** The schedule's next charges after `until`, as an IN_PROGRESS invoice; its id, or undefined when nothing is to come. */
export function makeUpcoming(
  engine: Engine,
  partition: Partition,
  clientId: string,
  base: Clock,
  schedule: StoredRecord,
  until: string,
  billed: ReadonlySet<string>,
  counted: readonly StoredRecord[],
): string | undefined {
  // A year and a month ahead covers the longest period (YEARLY) however it falls.
  const ahead = charges(partition, schedule, addDays(until, 400), counted).filter((c) => !billed.has(c.key) && c.due > until);
  if (ahead.length === 0) return undefined;
  const first = ahead.reduce((a, b) => (b.due < a.due ? b : a));
  const lines = ahead.filter((c) => c.due === first.due && c.currency === first.currency);
  const id = invoice(engine, partition, clientId, base, schedule, lines, true);
  partition.put(UPCOMING, { id: schedule.id, invoiceId: id, keys: lines.map((l) => l.key) });
  return id;
}
