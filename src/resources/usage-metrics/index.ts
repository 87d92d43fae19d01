// Usage metrics (docs/resources/usage-metrics.md): GET /usage-metrics/{id}/calculate aggregates the
// partition's usage events, as "Calculate usage metric for customer and timeframe" says.
//   - The customers the customerAliases name (each a customer id or alias), from periodStart to
//     periodEnd inclusive (a date means that whole day), aggregated as src/engine/usage.ts says
//     (shared with the billing runs that price usage).
//   - A metric keeps the propertyFilters and parameters it was sent, none otherwise (not the example's).
import { notFound, RuleViolation } from '../../engine/errors.js';
import type { Call, Plugin } from '../../engine/plugin.js';
import { aggregateUsage, aliasesOf, USAGE_METRICS } from '../../engine/usage.js';

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
    call.partition,
  );
  const { value: total, events } = aggregateUsage(call.partition, metric, customers, from, to);
  const value = total.toNumber();
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
