// Usage aggregated from the partition's usage events, as a metric defines it: what
// GET /usage-metrics/{id}/calculate answers, and what a billing run prices usage from. And seat
// levels from seat events: what GET /seat-balances answers, and what a run prices seats from.
//   - Events of the metric's eventType, sent under any id or alias of the customers named (an alias
//     no customer has stands for itself), with an eventTimestamp in [from, to).
//   - A later event with the same customerEventId supersedes the earlier one: it counts once.
//   - propertyFilters keep events whose property is one of the listed values (caseSensitive as the
//     metric says, insensitive otherwise); a property in propertiesToNegate keeps those that are not.
//   - COUNT counts events, UNIQUE counts distinct values of aggregationProperty, SUM adds its values
//     (decimal arithmetic; non-numbers are skipped). CUSTOM has no definition in the document: the count.
import { decimal, type Decimal } from './money.js';
import { ALIASES, CUSTOMERS, type CustomerRecord } from './records.js';
import { named, type Partition, type StoredRecord } from './store/types.js';

export const USAGE_EVENTS = named('/usage-events');
export const USAGE_METRICS = named('/usage-metrics');
export const SEAT_EVENTS = named('/seat-events');

/** The customer a customer id or alias names, if any. */
export function customerOfAlias(partition: Partition, alias: string): CustomerRecord | undefined {
  const byId = partition.get(CUSTOMERS, alias);
  if (byId) return byId;
  const [owner] = partition.find(ALIASES, 'value', alias);
  return owner ? partition.get(CUSTOMERS, owner.customerId) : undefined;
}

/** Every id and alias of the customers the given aliases name (an alias no customer has stands for itself). */
export function aliasesOf(given: readonly string[], partition: Partition): Set<string> {
  const all = new Set<string>();
  for (const alias of given) {
    all.add(alias);
    const customerId = customerOfAlias(partition, alias)?.id;
    if (customerId === undefined) continue;
    all.add(customerId);
    for (const other of partition.find(ALIASES, 'customer', customerId)) all.add(other.value);
  }
  return all;
}

function passesFilters(metric: StoredRecord, properties: Record<string, unknown>): boolean {
  const filters = (metric.propertyFilters ?? {}) as Record<string, unknown>;
  const negated = new Set(Array.isArray(metric.propertiesToNegate) ? metric.propertiesToNegate.map(String) : []);
  const fold = (value: unknown) => (metric.caseSensitive === false ? String(value).toLowerCase() : String(value));
  return Object.entries(filters).every(([property, allowed]) => {
    const values = (Array.isArray(allowed) ? allowed : [allowed]).map(fold);
    const present = properties[property] !== undefined && values.includes(fold(properties[property]));
    return negated.has(property) ? !present : present;
  });
}

/** The events of a collection (usage events unless another is named) that count: the latest per customerEventId, in the order they were sent. */
export function countedEvents(partition: Partition, of = USAGE_EVENTS): StoredRecord[] {
  const latest = new Map<string, StoredRecord>();
  for (const event of partition.all(of)) latest.set(typeof event.customerEventId === 'string' ? event.customerEventId : event.id, event);
  return [...latest.values()];
}

/**
 * Seat levels among seat events (countedEvents of SEAT_EVENTS, one customer's): per seatType, its
 * latest event by eventTimestamp, before `before` (ms) when given. A seat event is a level, not a change.
 */
export function seatLevels(events: readonly StoredRecord[], before = Infinity): Map<string, StoredRecord> {
  const levels = new Map<string, StoredRecord>();
  const time = (event: StoredRecord) => Date.parse(String(event.eventTimestamp));
  for (const event of events) {
    if (!(time(event) < before)) continue;
    const seatType = String(event.seatType);
    const current = levels.get(seatType);
    if (!current || time(event) >= time(current)) levels.set(seatType, event);
  }
  return levels;
}

/**
 * The metric's value over [from, to) (ms) for the customers `aliases` names, and the events it
 * counted. `counted` is countedEvents(partition), passed in by a caller that aggregates many times
 * over the same events (a billing run).
 */
export function aggregateUsage(
  partition: Partition,
  metric: StoredRecord,
  aliases: ReadonlySet<string>,
  from: number,
  to: number,
  counted: readonly StoredRecord[] = countedEvents(partition),
): { value: Decimal; events: StoredRecord[] } {
  const events = counted.filter((event) => {
    const at = Date.parse(String(event.eventTimestamp));
    const properties = (event.eventProperties ?? {}) as Record<string, unknown>;
    return (
      event.eventType === metric.eventType &&
      aliases.has(String(event.customerAlias)) &&
      at >= from &&
      at < to &&
      passesFilters(metric, properties)
    );
  });
  const property = typeof metric.aggregationProperty === 'string' ? metric.aggregationProperty : undefined;
  const valuesOf = () =>
    events.map((e) => ((e.eventProperties ?? {}) as Record<string, unknown>)[property ?? '']).filter((v) => v !== undefined);
  const numeric = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
  const value =
    metric.aggregationType === 'SUM'
      ? valuesOf()
          .filter(numeric)
          .reduce((sum: Decimal, v) => sum.plus(decimal(v)), decimal(0))
      : metric.aggregationType === 'UNIQUE'
        ? decimal(new Set(valuesOf().map((v) => JSON.stringify(v))).size)
        : decimal(events.length);
  return { value, events };
}
