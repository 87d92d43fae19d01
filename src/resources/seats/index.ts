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
import { decimal } from '../../engine/money.js';
import type { Call, Json, Plugin } from '../../engine/plugin.js';
import { ALIASES, CUSTOMERS } from '../../engine/records.js';
import type { StoredRecord } from '../../engine/store/types.js';
import { countedEvents, customerOfAlias, SEAT_EVENTS, seatLevels } from '../../engine/usage.js';

const split = (value: unknown): string[] =>
  (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : []).map((v) => v.trim()).filter(Boolean);

const time = (event: StoredRecord) => Date.parse(String(event.eventTimestamp));

function seatBalances(call: Call) {
  const { partition, query } = call;
  // The events that count, by the customer they name (src/engine/usage.ts).
  const byCustomer = new Map<string, StoredRecord[]>();
  for (const event of countedEvents(partition, SEAT_EVENTS)) {
    const customer = customerOfAlias(partition, String(event.customerAlias));
    if (customer) byCustomer.set(customer.id, [...(byCustomer.get(customer.id) ?? []), event]);
  }
  const named = [
    ...split(query.customerIds),
    ...split(query.customerAliases).flatMap((alias) => customerOfAlias(partition, alias)?.id ?? []),
  ];
  const filtered = query.customerIds !== undefined || query.customerAliases !== undefined;
  const ids = filtered ? [...new Set(named)] : [...byCustomer.keys()];
  const items = ids.flatMap((id): Json[] => {
    const customer = partition.get(CUSTOMERS, id);
    if (!customer) return [];
    const events = [...seatLevels(byCustomer.get(id) ?? []).values()].sort((a, b) => String(a.seatType).localeCompare(String(b.seatType)));
    const balances = events.map((e) => ({ seatType: e.seatType, total: e.total, changeTimestamp: e.eventTimestamp }));
    const total = events.reduce((sum, e) => sum.plus(decimal(e.total)), decimal(0)).toNumber();
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
