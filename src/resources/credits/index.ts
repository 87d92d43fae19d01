// Credit grants and balances (docs/resources/credits.md), over the generic collection grants are
// stored in (POST /credits, GET /credits, GET and DELETE /credits/{id}).
//   - GET /credits/{customerId}/balances groups the customer's grants by what they credit: money
//     (creditUnitType CURRENCY: a CASH balance per currency, named by it) or a usage metric (METRIC:
//     a USAGE balance per metric). Each grant is listed with its original amount and current
//     balance, and a CREDIT transaction of its amount on its effective date.
//   - Nothing consumes credit yet (billing runs would), so a grant's balance is its amount until
//     its expiryDate has passed on the partition's clock; then it is 0, with a DEBIT transaction
//     of what expired.
//   - GET /credits/{customerId}/grants lists the grants whose balance is not 0.
//   - An unknown customer is a 404 naming /path/customerId.
import { notFound } from '../../engine/errors.js';
import { amount, amountNumber, decimal } from '../../engine/money.js';
import type { Call, Json, Plugin } from '../../engine/plugin.js';
import { CUSTOMERS } from '../../engine/records.js';
import { named, type StoredRecord } from '../../engine/store/types.js';

const GRANTS = named('/credits');
const USAGE_METRICS = named('/usage-metrics');

const day = (timestamp: string) => timestamp.slice(0, 10);

/** The customer's grants, each with what is left of it today (on the partition's clock). */
function grantsOf(call: Call): { grant: StoredRecord; left: string; expired: boolean }[] {
  const customerId = call.params.customerId ?? '';
  if (!call.partition.get(CUSTOMERS, customerId)) throw notFound('customer', '/path/customerId', customerId);
  const today = day(call.clock.now().toISOString());
  return call.partition
    .all(GRANTS)
    .filter((grant) => grant.customerId === customerId)
    .map((grant) => {
      const expired = typeof grant.expiryDate === 'string' && day(grant.expiryDate) < today;
      return { grant, left: expired ? '0' : decimal(grant.amount).toString(), expired };
    });
}

const currencyOf = (grant: StoredRecord) => (typeof grant.currency === 'string' ? grant.currency : 'GBP');
/** Credit of a metric is a count of units; of money, an amount in the currency's minor units. */
const asText = (value: unknown, currency: string, metric: boolean) =>
  metric ? decimal(value).toString() : amount(decimal(value), currency);

function balances(call: Call) {
  const groups = new Map<string, Json & { grants: Json[]; transactions: Json[]; sum: ReturnType<typeof decimal> }>();
  for (const { grant, left, expired } of grantsOf(call)) {
    const metric = grant.creditUnitType === 'METRIC';
    const currency = currencyOf(grant);
    const key = metric ? String(grant.metricId) : currency;
    let group = groups.get(key);
    if (!group) {
      const metricName = call.partition.get(USAGE_METRICS, key)?.name;
      const name = metric && typeof metricName === 'string' ? metricName : key;
      groups.set(key, (group = { id: key, type: metric ? 'USAGE' : 'CASH', name, grants: [], transactions: [], sum: decimal(0) }));
    }
    group.sum = group.sum.plus(left);
    const effective = typeof grant.effectiveDate === 'string' ? day(grant.effectiveDate) : day(String(grant.createdAt));
    group.grants.push({
      id: grant.id,
      sequenceAccountId: grant.sequenceAccountId,
      customerId: grant.customerId,
      type: metric ? 'USAGE' : 'CASH',
      currency,
      ...(typeof grant.metricId === 'string' && { metricId: grant.metricId }),
      name: grant.name,
      originalAmount: asText(grant.amount, currency, metric),
      currentBalance: asText(left, currency, metric),
      ...(typeof grant.expiryDate === 'string' && { expiryDate: grant.expiryDate }),
      costOfCredit: asText(grant.costOfCredit ?? 0, currency, false),
      effectiveDate: effective,
      createdAt: grant.createdAt,
    });
    group.transactions.push({
      id: `${grant.id}-credit`,
      grantId: grant.id,
      type: 'CREDIT',
      amount: asText(grant.amount, currency, metric),
      date: effective,
    });
    if (expired)
      group.transactions.push({
        id: `${grant.id}-expiry`,
        grantId: grant.id,
        reason: 'expired',
        type: 'DEBIT',
        amount: asText(grant.amount, currency, metric),
        date: day(String(grant.expiryDate)),
      });
  }
  const items = [...groups.values()].map(({ sum, ...group }) => ({
    ...group,
    balance: group.type === 'USAGE' ? sum.toString() : amount(sum, String(group.id)),
  }));
  return { body: { items } };
}

function grants(call: Call) {
  const items = grantsOf(call)
    .filter(({ left }) => !decimal(left).isZero())
    .map(({ grant, left }) => ({
      id: grant.id,
      name: grant.name,
      grantAmount: grant.amount,
      // The schema types it a number: a decimal becomes one in one place (money.ts).
      balance: amountNumber(decimal(left), grant.creditUnitType === 'METRIC' ? undefined : currencyOf(grant)),
      issueDate: typeof grant.effectiveDate === 'string' ? day(grant.effectiveDate) : day(String(grant.createdAt)),
      ...(typeof grant.expiryDate === 'string' && { expiryDate: grant.expiryDate }),
    }));
  return { body: { items } };
}

export const credits: Plugin = {
  name: 'credits',
  tags: ['Credits'],
  page: 'docs/resources/credits.md',
  handlers: { getCreditsByCustomerIdBalances: balances, getCreditsByCustomerIdGrants: grants },
};
