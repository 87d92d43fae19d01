// Billing schedules in Sequence's older API versions (docs/versions.md). 2024-01-01 creates a
// schedule from `priceIds` or `phases`, calls a draft `createAsDraft` and the payment provider
// `collectionPaymentProvider`; both older versions answer `priceIds` and a `type` beside the prices.
// A request becomes the current version's (its prices one phase from the start date), and an answer
// gets `priceIds` from the prices; a `type` the client sent is kept by the version view and read back.
import type { Json, VersionMapping } from '../../engine/plugin.js';
import { objects, strings } from '../../engine/values.js';

/** A 2024-01-01 create, or a 2024-05-09/2024-01-01 update with prices or phases, in the current shape. */
function current({
  type: _type,
  createAsDraft,
  priceIds,
  collectionPaymentProvider,
  discounts: _discounts,
  effectiveFrom: _from,
  ...rest
}: Json): Json {
  const phases = Array.isArray(rest.phases)
    ? objects(rest.phases).map(({ discounts: _d, minimums: _m, ...phase }) => phase)
    : [{ priceIds: strings(priceIds), startDate: rest.startDate, ...(rest.endDate !== undefined && { endDate: rest.endDate }) }];
  return {
    taxRates: [],
    rollUpBilling: false,
    ...rest,
    ...(createAsDraft !== undefined && { isDraft: createAsDraft }),
    ...(collectionPaymentProvider !== undefined && { paymentProvider: collectionPaymentProvider }),
    phases,
  };
}

/** `priceIds` from the prices the phases name; `type` as sent, else CUSTOM (the document's example). */
const withPriceIds = (schedule: Json): Json => ({
  ...schedule,
  priceIds: objects(schedule.prices).map((price) => price.id),
  type: schedule.type ?? 'CUSTOM',
});

const answers = { BillingScheduleResponse: withPriceIds, BillingScheduleResponse20240509: withPriceIds };

export const SCHEDULE_VERSIONS: Readonly<Record<string, VersionMapping>> = {
  '2024-05-09': { requests: { putBillingSchedulesByBillingScheduleId: current }, answers },
  '2024-01-01': { requests: { postBillingSchedules: current, putBillingSchedulesByBillingScheduleId: current }, answers },
};
