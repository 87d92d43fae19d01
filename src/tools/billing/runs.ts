// Billing runs (docs/billing-runs.md): when a partition's test clock moves forward, every ACTIVE
// billing schedule invoices the charges that fell due, as Sequence does on its own.
//   - Each phase bills its prices; each recurring price bills its periods (periods.ts) within the
//     phase and the schedule. IN_ADVANCE prices fall due on the first day of the period served,
//     IN_ARREARS prices on the day after the last; ONE_TIME prices once, on the phase's first day.
//   - Charges of one schedule due on the same day, in one currency, make one invoice; each is a line
//     with its service period, priced by pricing.ts from usage over that period (engine/usage.ts) or
//     the seat level at its end, taxed at the schedule's tax rate for that price.
//   - The phase's discounts and minimums become lines of their own (discounts.ts).
//   - autoIssueInvoices finalizes and sends the invoice; defaultDueDateDays sets its due date.
//   - A schedule whose endDate has passed, every charge billed, is COMPLETED.
// The run is a client of the engine's own operations (POST /invoices, its line items, finalize,
// send): the invoices it makes are exactly what the API makes, dated on the day they fell due.
import type { Clock } from '../../engine/clock.js';
import type { Engine } from '../../engine/engine.js';
import { decimal, type Decimal } from '../../engine/money.js';
import type { Json } from '../../engine/plugin.js';
import { BILLING_SCHEDULES } from '../../engine/records.js';
import { collection, named, type Partition, type StoredRecord } from '../../engine/store/types.js';
import { aggregateUsage, aliasesOf, countedEvents, SEAT_EVENTS, seatLevels, USAGE_METRICS } from '../../engine/usage.js';
import type { Line } from './discounts.js';
import { invoice, request } from './invoice.js';
import { settleUpcoming, makeUpcoming } from './upcoming.js';
import { addDays, daysBetween, MONTHS, ms, periods } from './periods.js';
import { charge } from './pricing.js';
import { objects, strings, text } from '../../engine/values.js';

const PRICES = named('/prices');
const TAX_RATES = named('/tax-rates');
const SEAT_METRICS = named('/seat-metrics');
/** What each schedule has billed: one key per price and service period. */
const BILLED = collection<{ id: string; keys: string[] }>('/__billing/billed');

export interface Due extends Line {
  /** The day it falls due: the invoice's date. */
  due: string;
  currency: string;
  key: string;
  /** The phase it bills for: its discounts and minimums apply. */
  phase: Json;
}

interface Phase {
  record: Json;
  start: string;
  /** The day after the phase's last (exclusive); undefined while open-ended. */
  end: string | undefined;
}

/** The phases in order, each ending where the next starts unless it ends sooner. */
function phasesOf(schedule: StoredRecord): Phase[] {
  const sorted = objects(schedule.phases)
    .filter((p) => typeof p.startDate === 'string')
    .sort((a, b) => String(a.startDate).localeCompare(String(b.startDate)));
  const scheduleEnd = text(schedule.endDate) && addDays(String(schedule.endDate), 1);
  return sorted.map((record, i) => {
    const own = text(record.endDate) && addDays(String(record.endDate), 1);
    const next = text(sorted[i + 1]?.startDate);
    const ends = [own, next, scheduleEnd].filter((d): d is string => d !== undefined).sort();
    return { record, start: String(record.startDate), end: ends[0] };
  });
}

/** Every charge of a schedule due on or before `until` (a date), billed or not. */
export function charges(
  partition: Partition,
  schedule: StoredRecord,
  until: string,
  counted: readonly StoredRecord[] = countedEvents(partition),
): Due[] {
  const found: Due[] = [];
  const customer = aliasesOf([String(schedule.customerId)], partition);
  // Only this customer's events: each charge aggregates over them, not over the partition's.
  const own = counted.filter((event) => customer.has(String(event.customerAlias)));
  const ownSeats = countedEvents(partition, SEAT_EVENTS).filter((event) => customer.has(String(event.customerAlias)));
  const scheduleStart = String(schedule.startDate);
  const recurrenceDay = typeof schedule.recurrenceDayOfMonth === 'number' ? schedule.recurrenceDayOfMonth : undefined;
  const taxOf = (priceId: string) => {
    const rate = objects(schedule.taxRates).find((t) => t.priceId === priceId);
    return decimal(partition.get(TAX_RATES, String(rate?.taxRateId))?.amount ?? 0);
  };
  for (const phase of phasesOf(schedule)) {
    for (const priceId of strings(phase.record.priceIds)) {
      const price = partition.get(PRICES, priceId);
      if (!price) continue;
      const structure = (price.structure ?? {}) as Json;
      const currency = String(price.currency);
      const line = (start: string, endExclusive: string, share: Decimal): Due | undefined => {
        const due = price.billingType === 'IN_ADVANCE' || structure.pricingType === 'ONE_TIME' ? start : endExclusive;
        if (ms(due) > ms(until)) return undefined;
        const metric = partition.get(USAGE_METRICS, String(structure.usageMetricId));
        const usage = metric ? aggregateUsage(partition, metric, customer, ms(start), ms(endExclusive), own).value : decimal(0);
        const seatType = partition.get(SEAT_METRICS, String(structure.seatMetricId))?.seatType;
        // The seat level at the end of the part served (src/engine/usage.ts, as /seat-balances reads it).
        const seats = decimal(seatLevels(ownSeats, ms(endExclusive)).get(String(seatType))?.total ?? 0);
        const priced = charge(structure, usage, seats, share);
        if (!priced) return undefined;
        return {
          due,
          currency,
          key: `${priceId}|${start}|${endExclusive}`,
          priceId,
          title: String(price.name),
          description: priced.description,
          quantity: priced.quantity,
          rate: priced.rate,
          taxRate: taxOf(priceId),
          start,
          endInclusive: addDays(endExclusive, -1),
          phase: phase.record,
        };
      };
      if (structure.pricingType === 'ONE_TIME' || price.billingFrequency === 'ONE_TIME') {
        const made = line(phase.start, addDays(phase.start, 1), decimal(1));
        if (made) found.push(made);
        continue;
      }
      const months = MONTHS[String(price.billingFrequency)];
      if (!months) continue; // ON_DEMAND, PER_EVENT: nothing a run bills on its own
      const stop = phase.end && ms(phase.end) < ms(addDays(until, 1)) ? phase.end : addDays(until, 1);
      for (const period of periods(scheduleStart, months, recurrenceDay, stop)) {
        // The part of the period inside the phase: a phase change mid-period splits it.
        const start = ms(period.start) < ms(phase.start) ? phase.start : period.start;
        const end = phase.end && ms(phase.end) < ms(period.end) ? phase.end : period.end;
        if (ms(start) >= ms(end)) continue;
        const made = line(start, end, decimal(daysBetween(start, end)).div(period.fullDays));
        if (made) found.push(made);
      }
    }
  }
  return found;
}

export interface RunResult {
  /** Invoices made, in the order they fell due. */
  invoices: string[];
  completed: string[];
  /** The upcoming (IN_PROGRESS) invoice of each schedule still running: its next charges, so far. */
  upcoming: string[];
}

/**
 * Bills every ACTIVE schedule of a partition up to `until` (a date): the charges not billed yet,
 * one invoice per schedule, day and currency.
 */
export function runBilling(engine: Engine, partition: Partition, clientId: string, base: Clock, until: string): RunResult {
  const result: RunResult = { invoices: [], completed: [], upcoming: [] };
  // The usage events that count, once for the whole run rather than once per charge.
  const counted = countedEvents(partition);
  for (const schedule of partition.all(BILLING_SCHEDULES)) {
    if (schedule.status !== 'ACTIVE' || schedule.archivedAt !== undefined) continue;
    const billed = new Set(partition.get(BILLED, schedule.id)?.keys ?? []);
    // The upcoming invoice of the last run: kept as the user's if drafted since, else made again.
    for (const key of settleUpcoming(engine, partition, clientId, base, schedule)) billed.add(key);
    const all = charges(partition, schedule, until, counted);
    const due = all.filter((c) => !billed.has(c.key));
    const groups = new Map<string, Due[]>();
    for (const c of due.sort((a, b) => a.due.localeCompare(b.due))) {
      const key = `${c.due}|${c.currency}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const lines of groups.values()) {
      result.invoices.push(invoice(engine, partition, clientId, base, schedule, lines));
      for (const c of lines) billed.add(c.key);
      partition.put(BILLED, { id: schedule.id, keys: [...billed] });
    }
    const end = text(schedule.endDate);
    if (end && ms(end) < ms(until) && all.every((c) => billed.has(c.key))) {
      const current = partition.get(BILLING_SCHEDULES, schedule.id)!;
      partition.put(BILLING_SCHEDULES, { ...current, status: 'COMPLETED' });
      result.completed.push(schedule.id);
      engine.raise(request(partition, clientId, base, end), ['BILLING_SCHEDULE_UPDATED'], schedule.id);
    } else {
      partition.put(BILLED, { id: schedule.id, keys: [...billed] });
      const next = makeUpcoming(engine, partition, clientId, base, schedule, until, billed, counted);
      if (next) result.upcoming.push(next);
    }
  }
  return result;
}
