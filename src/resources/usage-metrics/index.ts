// Usage metrics (docs/resources/usage-metrics.md): GET /usage-metrics/{id}/calculate aggregates the
// partition's usage events, as "Calculate usage metric for customer and timeframe" says.
//   - Events of the metric's eventType, for the customers the customerAliases name (each a customer
//     id or alias: an event sent under any id or alias of the same customer counts), with an
//     eventTimestamp from periodStart to periodEnd inclusive (a date means that whole day).
//   - A later event with the same customerEventId supersedes the earlier one: it counts once.
//   - propertyFilters keep events whose property is one of the listed values (caseSensitive as the
//     metric says, insensitive otherwise); a property in propertiesToNegate keeps those that are not.
//   - A metric keeps the propertyFilters and parameters it was sent, none otherwise (not the example's).
//   - COUNT counts events, UNIQUE counts distinct values of aggregationProperty, SUM adds its values
//     (decimal arithmetic; non-numbers are skipped). CUSTOM has no definition in the document: it
//     answers the count.
import { notFound, RuleViolation } from '../../engine/errors.js';
import { decimal, type Decimal } from '../../engine/money.js';
import type { Call, Plugin } from '../../engine/plugin.js';
import { ALIASES, CUSTOMERS } from '../../engine/records.js';
import { named, type StoredRecord } from '../../engine/store/types.js';

const USAGE_EVENTS = named('/usage-events');
const USAGE_METRICS = named('/usage-metrics');

/** Every id and alias of the customers the given aliases name (an alias no customer has stands for itself). */
function aliasesOf(given: readonly string[], call: Call): Set<string> {
  const all = new Set<string>();
  for (const alias of given) {
    all.add(alias);
    const customerId = call.partition.get(CUSTOMERS, alias)?.id ?? call.partition.find(ALIASES, 'value', alias)[0]?.customerId;
    if (customerId === undefined) continue;
    all.add(customerId);
    for (const other of call.partition.find(ALIASES, 'customer', customerId)) all.add(other.value);
  }
  return all;
}

/** [start, end) in ms: a date is its whole day, a timestamp itself (periodEnd inclusive). */
function period(start: string, end: string): [number, number] {
  const day = 86_400_000;
  const dateOnly = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);
  const from = Date.parse(dateOnly(start) ? `${start}T00:00:00Z` : start);
  const to = dateOnly(end) ? Date.parse(`${end}T00:00:00Z`) + day : Date.parse(end) + 1;
  const bad = (name: string, value: string) =>
    new RuleViolation([{ path: `/query/${name}`, message: `${value} is not a date or a date-time` }]);
  if (Number.isNaN(from)) throw bad('periodStart', start);
  if (Number.isNaN(to)) throw bad('periodEnd', end);
  return [from, to];
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

function calculate(call: Call) {
  const metric = call.partition.get(USAGE_METRICS, call.params.usageMetricId ?? '');
  if (!metric) throw notFound('usage metric', '/path/usageMetricId', call.params.usageMetricId ?? '');
  const query = call.query;
  const [from, to] = period(String(query.periodStart), String(query.periodEnd));
  const customers = aliasesOf(
    String(query.customerAliases)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    call,
  );
  // The latest event per customerEventId, in the order they were sent.
  const latest = new Map<string, StoredRecord>();
  for (const event of call.partition.all(USAGE_EVENTS))
    latest.set(typeof event.customerEventId === 'string' ? event.customerEventId : event.id, event);
  const events = [...latest.values()].filter((event) => {
    const at = Date.parse(String(event.eventTimestamp));
    const properties = (event.eventProperties ?? {}) as Record<string, unknown>;
    return (
      event.eventType === metric.eventType &&
      customers.has(String(event.customerAlias)) &&
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
          .toNumber()
      : metric.aggregationType === 'UNIQUE'
        ? new Set(valuesOf().map((v) => JSON.stringify(v))).size
        : events.length;
  return {
    body: {
      name: metric.name,
      metricType: metric.metricType,
      eventType: metric.eventType,
      aggregationType: metric.aggregationType,
      eventCount: events.length,
      value,
      ...(typeof metric.unit === 'string' && { unit: metric.unit }),
      ...(events.length > 0 && { minEventId: events[0]!.id, maxEventId: events.at(-1)!.id }),
    },
  };
}

export const usageMetrics: Plugin = {
  name: 'usage-metrics',
  tags: ['Usage Metrics'],
  page: 'docs/resources/usage-metrics.md',
  handlers: { getUsageMetricsByUsageMetricIdCalculate: calculate },
  rules: {
    // What the client did not send, the metric does not have: the create answer requires
    // propertyFilters and parameters, and the document's example ones (a channels filter, a
    // parameter) would otherwise be stored, and would filter every calculation.
    '/usage-metrics': { generated: (body) => ({ propertyFilters: body.propertyFilters ?? {}, parameters: body.parameters ?? [] }) },
  },
};
