// One invoice of a schedule's charges due on one day, made through the engine's own operations
// (POST /invoices, its line items, finalize, send), dated that day: what a billing run makes, and
// the upcoming (IN_PROGRESS) invoice of the charges still to come.
import type { Clock } from '../../engine/clock.js';
import type { CallRequest, Engine } from '../../engine/engine.js';
import type { Json } from '../../engine/plugin.js';
import { BILLING_SCHEDULES } from '../../engine/records.js';
import { named, type Partition, type StoredRecord } from '../../engine/store/types.js';
import { adjustments } from './discounts.js';
import { addDays } from './periods.js';
import type { Due } from './runs.js';
import { text } from '../../engine/values.js';

const INVOICES = named('/invoices');

/** A call of the engine's own operations as the partition, dated `day`, raising no events itself. */
export function request(
  partition: Partition,
  clientId: string,
  base: Clock,
  day: string,
  params: Record<string, string> = {},
  body?: Json,
): CallRequest {
  const clock: Clock = { now: () => new Date(`${day}T00:00:00Z`), newId: () => base.newId() };
  return { partition, clientId, params, body, clock, example: undefined, readQuery: () => ({}), quiet: true };
}

/**
 * One invoice of a schedule's charges due on one day, with its lines and adjustments. Issued (and
 * announced) as the schedule says, or, when `upcoming`, left IN_PROGRESS and unannounced.
 */
export function invoice(
  engine: Engine,
  partition: Partition,
  clientId: string,
  base: Clock,
  schedule: StoredRecord,
  lines: Due[],
  upcoming = false,
): string {
  const [first] = lines as [Due, ...Due[]];
  const day = first.due;
  const call = (key: string, params: Record<string, string> = {}, body?: Json) => {
    const answer = engine.answer(key, request(partition, clientId, base, day, params, body));
    return (answer?.body ?? {}) as Json;
  };
  const dueDays = typeof schedule.defaultDueDateDays === 'number' ? schedule.defaultDueDateDays : undefined;
  const made = call(
    'post /invoices',
    {},
    {
      currency: first.currency,
      customerId: schedule.customerId,
      billingScheduleId: schedule.id,
      billingPeriod: {
        start: lines.map((l) => l.start).sort()[0],
        endInclusive: lines
          .map((l) => l.endInclusive)
          .sort()
          .at(-1),
      },
      ...(dueDays !== undefined && { dueDate: addDays(day, dueDays) }),
      ...(text(schedule.purchaseOrderNumber) && { purchaseOrderNumber: schedule.purchaseOrderNumber }),
      ...(text(schedule.reference) && { reference: schedule.reference }),
      ...(text(schedule.memo) && { memo: schedule.memo }),
    },
  );
  const id = String(made.id);
  // Each phase's discounts and minimums apply to its own lines (one invoice may bill two phases).
  const phases = [...new Set(lines.map((l) => l.phase))];
  const adjusted = phases.flatMap((phase) =>
    adjustments(
      lines.filter((l) => l.phase === phase),
      phase,
    ),
  );
  for (const line of [...lines, ...adjusted])
    call(
      'post /invoices/{invoice}/line-items',
      { invoice: id },
      {
        title: line.title,
        description: line.description,
        quantity: line.quantity.toString(),
        rate: line.rate.toString(),
        taxRate: line.taxRate.toString(),
        servicePeriod: { startDate: line.start, endDate: line.endInclusive },
        ...(line.priceId && { priceId: line.priceId }),
        externalIds: [],
      },
    );
  if (upcoming) {
    const made = partition.get(INVOICES, id);
    if (made) partition.put(INVOICES, { ...made, status: 'IN_PROGRESS' });
    return id;
  }
  const types = ['INVOICE_CREATED'];
  if (schedule.autoIssueInvoices === true) {
    call('post /invoices/{id}/finalize', { id });
    call('post /invoices/{id}/send', { id });
    types.push('INVOICE_ISSUED');
  }
  const current = partition.get(BILLING_SCHEDULES, schedule.id);
  if (current) partition.put(BILLING_SCHEDULES, { ...current, lastInvoiceId: id });
  engine.raise(request(partition, clientId, base, day), types, id);
  return id;
}
