// The phase's discounts and minimums, as lines of the invoice they apply to. Each applies to the
// lines of the prices it names (restrictToPrices), or to every price line when it names none.
//   - A PERCENTAGE discount takes `amount`% off each such line: one negative line per line, taxed
//     as that line, so the tax falls with the net.
//   - A NOMINAL discount takes `amount` off their sum (never more than the sum): one negative line,
//     taxed as the first of them.
//   - A minimum tops their sum (before discounts) up to `amount`: one line for the difference,
//     taxed as the first of them, when the sum is short.
// Discounts are always their own lines (separateLineItem or not), so the arithmetic shows.
import { decimal, Decimal } from '../../engine/money.js';
import type { Json } from '../../engine/plugin.js';
import { objects, strings } from '../../engine/values.js';

export interface Line {
  priceId?: string;
  title: string;
  description: string;
  quantity: Decimal;
  rate: Decimal;
  taxRate: Decimal;
  start: string;
  endInclusive: string;
}

const appliesTo = (lines: readonly Line[], rule: Json) => {
  const only = strings(rule.restrictToPrices);
  return lines.filter((l) => l.priceId !== undefined && (only.length === 0 || only.includes(l.priceId)));
};
const net = (l: Line) => l.quantity.times(l.rate);

export function adjustments(lines: readonly Line[], phase: Json): Line[] {
  const made: Line[] = [];
  for (const discount of objects(phase.discounts)) {
    const affected = appliesTo(lines, discount);
    const message = typeof discount.message === 'string' ? discount.message : 'Discount';
    if (discount.type === 'PERCENTAGE') {
      for (const line of affected)
        made.push({
          ...line,
          priceId: undefined,
          title: message,
          description: `${String(discount.amount)}% off ${line.title}`,
          quantity: decimal(1),
          rate: net(line).times(decimal(discount.amount)).div(100).negated(),
        });
    } else if (discount.type === 'NOMINAL' && affected.length > 0) {
      const sum = affected.reduce((total, l) => total.plus(net(l)), decimal(0));
      made.push({
        ...affected[0]!,
        priceId: undefined,
        title: message,
        description: `${String(discount.amount)} off`,
        quantity: decimal(1),
        rate: Decimal.min(decimal(discount.amount), sum).negated(),
      });
    }
  }
  for (const minimum of objects(phase.minimums)) {
    const affected = appliesTo(lines, minimum);
    if (affected.length === 0) continue;
    const sum = affected.reduce((total, l) => total.plus(net(l)), decimal(0));
    const short = decimal(minimum.amount).minus(sum);
    if (short.lte(0)) continue;
    made.push({
      ...affected[0]!,
      priceId: undefined,
      title: 'Minimum commitment',
      description: `${String(minimum.amount)} minimum, ${sum.toString()} billed`,
      quantity: decimal(1),
      rate: short,
    });
  }
  return made;
}
