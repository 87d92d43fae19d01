// Seat balances (docs/resources/seats.md): GET /seat-balances computed from the partition's seat
// events, over the generic collections seat events and seat metrics are stored in.
//   - A seat event reports a customer's `total` seats of a `seatType` at `eventTimestamp` (a level,
//     not a change): the balance of a seat type is the total of its latest event; a later event with
//     the same customerEventId replaces the earlier one.
//   - A seat event the client gives no customerEventId gets one of its own.
//   - customerAlias is a customer id or one of its aliases; an event whose alias names no customer
//     counts for nobody until it does.
//   - One item per customer that has seat events (or that the customerIds / customerAliases filter
//     names): its seat types' balances, their sum, and the latest change. excludeZeroQuantity drops
//     customers whose total is 0.
import type { Call, Json, Plugin } from '../../engine/plugin.js';
import { ALIASES, CUSTOMERS, type CustomerRecord } from '../../engine/records.js';
import { named, type Partition, type StoredRecord } from '../../engine/store/types.js';

const SEAT_EVENTS = named('/seat-events');

const split = (value: unknown): string[] =>
  (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : []).map((v) => v.trim()).filter(Boolean);

/** The customer an id or alias names, if any. */
function customerOf(alias: string, partition: Partition): CustomerRecord | undefined {
  const byId = partition.get(CUSTOMERS, alias);
  if (byId) return byId;
  const [owner] = partition.find(ALIASES, 'value', alias);
  return owner ? partition.get(CUSTOMERS, owner.customerId) : undefined;
}

const time = (event: StoredRecord) => Date.parse(String(event.eventTimestamp));

function seatBalances(call: Call) {
  const { partition, query } = call;
  // The latest event per customerEventId, then per customer and seat type the latest by time.
  const latest = new Map<string, StoredRecord>();
  for (const event of partition.all(SEAT_EVENTS))
    latest.set(typeof event.customerEventId === 'string' ? event.customerEventId : event.id, event);
  const levels = new Map<string, Map<string, StoredRecord>>();
  for (const event of latest.values()) {
    const customer = customerOf(String(event.customerAlias), partition);
    if (!customer) continue;
    let byType = levels.get(customer.id);
    if (!byType) levels.set(customer.id, (byType = new Map<string, StoredRecord>()));
    const seatType = String(event.seatType);
    const current = byType.get(seatType);
    if (!current || time(event) >= time(current)) byType.set(seatType, event);
  }
  const named = [...split(query.customerIds), ...split(query.customerAliases).flatMap((alias) => customerOf(alias, partition)?.id ?? [])];
  const filtered = query.customerIds !== undefined || query.customerAliases !== undefined;
  const ids = filtered ? [...new Set(named)] : [...levels.keys()];
  const items = ids.flatMap((id): Json[] => {
    const customer = partition.get(CUSTOMERS, id);
    if (!customer) return [];
    const events = [...(levels.get(id)?.values() ?? [])].sort((a, b) => String(a.seatType).localeCompare(String(b.seatType)));
    const balances = events.map((e) => ({ seatType: e.seatType, total: e.total, changeTimestamp: e.eventTimestamp }));
    const total = events.reduce((sum, e) => sum + Number(e.total), 0);
    if (total === 0 && (query.excludeZeroQuantity === true || query.excludeZeroQuantity === 'true')) return [];
    const changed = events.reduce<StoredRecord | undefined>((last, e) => (!last || time(e) > time(last) ? e : last), undefined);
    return [
      {
        id,
        sequenceAccountId: call.accountId,
        legalName: customer.legalName,
        customerAliases: partition.find(ALIASES, 'customer', id).map((alias) => alias.value),
        total,
        changeTimestamp: changed?.eventTimestamp ?? customer.createdAt,
        balances,
      },
    ];
  });
  return { body: { items, pagination: { totalResultSize: items.length } } };
}

export const seats: Plugin = {
  name: 'seats',
  tags: ['Seat Events', 'Seat Metrics'],
  page: 'docs/resources/seats.md',
  handlers: { getSeatBalances: seatBalances },
  rules: {
    // Sequence generates the customerEventId a client leaves out (as for usage events); without this
    // every such event would share the example's, and each would replace the last.
    '/seat-events': { generated: (body, { clock }) => ({ customerEventId: body.customerEventId ?? `event-id-${clock.newId()}` }) },
  },
};
