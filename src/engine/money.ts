// Money as Sequence writes it: decimal strings ("51.20"), computed with decimal.js, never floats.
// Amounts are rounded to the currency's minor units (GBP 2, JPY 0, BHD 3: from the platform's ICU
// currency data, not a hand list) with ROUND_HALF_UP, the rounding invoices are usually read with.
// Each line is rounded on its own, and totals sum the rounded lines, so a document's lines always
// add up to its totals.
import { Decimal } from 'decimal.js';

const minorUnits = new Map<string, number>();

/** Digits after the point for a currency (2 when the platform does not know the code). */
export function minorUnitsOf(currency: string | undefined): number {
  const code = (currency ?? '').toUpperCase();
  let units = minorUnits.get(code);
  if (units === undefined) {
    try {
      units = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      units = 2;
    }
    minorUnits.set(code, units);
  }
  return units;
}

/** A decimal from a document's string (or number); anything else is zero. */
export function decimal(value: unknown): Decimal {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value);
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      return new Decimal(value.trim());
    } catch {
      return new Decimal(0);
    }
  }
  return new Decimal(0);
}

export const rounded = (value: Decimal, currency: string | undefined): Decimal =>
  value.toDecimalPlaces(minorUnitsOf(currency), Decimal.ROUND_HALF_UP);

/** An amount as the document writes it: the currency's minor units, always ("20.00", "2000"). */
export const amount = (value: Decimal, currency: string | undefined): string => rounded(value, currency).toFixed(minorUnitsOf(currency));

/**
 * An amount where the document's schema types it as a JSON number (a balance's `value`): rounded in
 * decimal, converted only here, at the edge of the answer.
 */
export const amountNumber = (value: Decimal, currency: string | undefined): number => rounded(value, currency).toNumber();

/** A line's totals: net = quantity x rate, tax = net x taxRate, gross = net + tax, each rounded. */
export function lineTotals(quantity: unknown, rate: unknown, taxRate: unknown, currency: string | undefined) {
  const net = rounded(decimal(quantity).times(decimal(rate)), currency);
  const tax = rounded(net.times(decimal(taxRate)), currency);
  return { netTotal: amount(net, currency), totalTax: amount(tax, currency), grossTotal: amount(net.plus(tax), currency) };
}

/** The sum of lines' totals (no lines: zero in the currency's form). */
export function sumTotals(lines: readonly Readonly<Record<string, unknown>>[], currency: string | undefined) {
  const sum = (field: 'netTotal' | 'totalTax' | 'grossTotal') =>
    lines.reduce((total, line) => total.plus(decimal(line[field])), new Decimal(0));
  return {
    netTotal: amount(sum('netTotal'), currency),
    totalTax: amount(sum('totalTax'), currency),
    grossTotal: amount(sum('grossTotal'), currency),
  };
}

export { Decimal };
