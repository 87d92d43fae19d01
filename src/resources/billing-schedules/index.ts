// Billing schedules (docs/resources/billing-schedules.md), over the generic collection they are
// stored in: what the schema cannot say.
//   - customerId must name a customer of this account (the generic reference rule: a 400 naming
//     /body/customerId otherwise); every price a phase names must be a price of this account (a 400
//     naming /body/phases/<i>/priceIds/<j>).
//   - A schedule made with `isDraft: true` is DRAFT until `PUT /billing-schedules/{id}/activate`
//     ("Activate an existing draft"); one made without is ACTIVE at once. Activating an ACTIVE one
//     changes nothing.
//   - `phases` are the ones sent, each made a Phase (an id, the schedule's id, its discounts,
//     minimums and credit grants with ids); an update that sends phases replaces them. `prices` are
//     the prices those phases name, as `GET /prices/{id}` answers them now.
//   - Each phase discount is also a record of `/discounts` (DiscountResponse), so GET /discounts and
//     /discounts/{id} answer the account's own, and go when their schedule's phases are replaced.
//   - `duplicate` makes a copy for the customer named (new ids, DRAFT), leaving the original as it was.
//   - The list filters by customerId and label (the generic field filters), billingScheduleStatus,
//     and hides archived schedules unless includeArchivedSchedules=true.
import { notFound, RuleViolation, type Violation } from '../../engine/errors.js';
import { isTrue } from '../../engine/paging.js';
import type { Call, CollectionRules, Json, Plugin } from '../../engine/plugin.js';
import { BILLING_SCHEDULES, CUSTOMERS } from '../../engine/records.js';
import { collection, named, type Partition, type StoredRecord } from '../../engine/store/types.js';
import { SCHEDULE_VERSIONS } from './versions.js';
import { objects, strings } from '../../engine/values.js';

const PRICES = named('/prices');
const DISCOUNTS = collection('/discounts', {
  indexes: { schedule: (d) => (typeof d.billingScheduleId === 'string' ? d.billingScheduleId : undefined) },
});

/** Every price a phase names that this account does not have. */
function priceViolations(body: Json, partition: Partition): Violation[] {
  return objects(body.phases).flatMap((phase, i) =>
    strings(phase.priceIds).flatMap((id, j) =>
      partition.get(PRICES, id) ? [] : [{ path: `/body/phases/${i}/priceIds/${j}`, message: `no price with id ${id} in this account` }],
    ),
  );
}

/** A PhaseRequest as the Phase the response has: ids for it and for what it holds. */
function phaseOf(sent: Json, scheduleId: string, call: Call): Json {
  const now = call.clock.now().toISOString();
  const id = call.clock.newId();
  const { listPriceIds: _listPrices, phaseListPriceMetadata: _listMetadata, ...fields } = sent;
  return {
    ...fields,
    id,
    createdAt: now,
    billingScheduleId: scheduleId,
    priceIds: strings(sent.priceIds),
    discounts: objects(sent.discounts).map((discount) => ({ ...discount, id: call.clock.newId() })),
    minimums: objects(sent.minimums).map((minimum) => ({
      id: call.clock.newId(),
      sequenceAccountId: call.accountId,
      billingScheduleId: scheduleId,
      phaseId: id,
      amount: minimum.amount,
      restrictToPrices: strings(minimum.restrictToPrices),
      createdAt: now,
      updatedAt: now,
    })),
    // An update names the grants it keeps by id (the document's update example does).
    creditGrants: objects(sent.creditGrants).map((grant) => ({ restrictToPrices: [], ...grant, id: grant.id ?? call.clock.newId() })),
    recurrencePreference: sent.recurrencePreference ?? 'CONTINUE_FROM_PREVIOUS_PHASE',
    phasePriceMetadata: objects(sent.phasePriceMetadata),
  };
}

/** The schedule's discounts as /discounts records: the old ones of this schedule go. */
function keepDiscounts(schedule: Json, call: Call): void {
  const id = String(schedule.id);
  for (const old of call.partition.find(DISCOUNTS, 'schedule', id)) call.partition.delete(DISCOUNTS, old.id);
  for (const phase of objects(schedule.phases))
    for (const discount of objects(phase.discounts))
      call.partition.put(DISCOUNTS, {
        id: String(discount.id),
        sequenceAccountId: call.accountId,
        billingScheduleId: id,
        phaseId: phase.id,
        priceIds: strings(discount.restrictToPrices).length > 0 ? strings(discount.restrictToPrices) : strings(phase.priceIds),
        separateLineItem: discount.separateLineItem,
        amount: discount.amount,
        discountCalculationType: discount.type,
        message: discount.message,
        validFrom: phase.startDate,
        ...(typeof phase.endDate === 'string' && { validTo: phase.endDate }),
        createdAt: phase.createdAt,
        updatedAt: phase.createdAt,
        seatDiscountType: discount.seatDiscountType ?? 'ALL_SEATS',
      });
}

/** The prices the phases name, as stored now (a price removed since is left out). */
function pricesOf(phases: unknown, partition: Partition): StoredRecord[] {
  const named = [...new Set(objects(phases).flatMap((phase) => strings(phase.priceIds)))];
  return named.flatMap((id) => partition.get(PRICES, id) ?? []);
}

const rules: CollectionRules = {
  check: (body, partition) => priceViolations(body, partition),
  generated(body) {
    return { status: body.isDraft === true ? 'DRAFT' : 'ACTIVE' };
  },
  computed(record, call) {
    const body = (call.body ?? {}) as Json;
    if (!Array.isArray(body.phases)) return {};
    const phases = objects(body.phases).map((phase) => phaseOf(phase, String(record.id), call));
    keepDiscounts({ id: record.id, phases }, call);
    return { phases };
  },
  presented: (record, call) => ({ prices: pricesOf(record.phases, call.partition) }),
  actions: {
    '/activate': (record: StoredRecord) => (record.status === 'DRAFT' ? { status: 'ACTIVE' } : {}),
  },
  matches(record: StoredRecord, query) {
    if (typeof query.billingScheduleStatus === 'string' && record.status !== query.billingScheduleStatus) return false;
    if (record.archivedAt !== undefined && !isTrue(query.includeArchivedSchedules)) return false;
    return true;
  },
};

/** POST /billing-schedules/{id}/duplicate: a DRAFT copy for the customer named, with ids of its own. */
function duplicate(call: Call) {
  const id = call.params.billingScheduleId ?? '';
  const original = call.partition.get(BILLING_SCHEDULES, id);
  if (!original) throw notFound('billing schedule', '/path/billingScheduleId', id);
  const customerId = String(((call.body ?? {}) as Json).customerId);
  if (!call.partition.get(CUSTOMERS, customerId))
    throw new RuleViolation([{ path: '/body/customerId', message: `no customer with id ${customerId} in this account` }]);
  const now = call.clock.now().toISOString();
  const copyId = call.clock.newId();
  const { archivedAt: _archived, lastInvoiceId: _lastInvoice, ...kept } = original;
  const copy: StoredRecord = {
    ...kept,
    id: copyId,
    customerId,
    status: 'DRAFT',
    createdAt: now,
    updatedAt: now,
    integrationIds: [],
    phases: objects(original.phases).map((phase) => {
      const { id: _id, createdAt: _at, billingScheduleId: _of, minimums, creditGrants, ...sent } = phase;
      const asSent = {
        ...sent,
        minimums: objects(minimums).map(({ amount, restrictToPrices }) => ({ amount, restrictToPrices })),
        creditGrants: objects(creditGrants).map(({ id: _grant, ...grant }) => grant),
      };
      return phaseOf(asSent, copyId, call);
    }),
  };
  call.partition.put(BILLING_SCHEDULES, copy);
  keepDiscounts(copy, call);
  return { body: call.shape({ ...copy, prices: pricesOf(copy.phases, call.partition) }), changed: true };
}

export const billingSchedules: Plugin = {
  name: 'billing-schedules',
  tags: ['Billing Schedules', 'Discounts'],
  page: 'docs/resources/billing-schedules.md',
  handlers: { postBillingSchedulesByBillingScheduleIdDuplicate: duplicate },
  rules: { '/billing-schedules': rules },
  versions: SCHEDULE_VERSIONS,
};
