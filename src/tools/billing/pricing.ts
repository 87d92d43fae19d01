// What one price charges for one service period, from its `structure` as the document defines each
// PricingType. Amounts are decimals (never floats); the invoice line computes net, tax and gross.
//   ONE_TIME, FIXED    quantity 1 at `price` (FIXED prorated by days for a partial period)
//   LINEAR             usage x pricePerUnit
//   PACKAGE            ceil(usage / packageSize) packages x pricePerPackage
//   GRADUATED          each tier's share of the usage at its price, plus its fee once reached: summed
//   VOLUME             all the usage at the price of the tier it falls in, plus that tier's fee
//   SEAT_BASED         max(seats, contractedMinimumSeats) x pricePerSeat (prorated like FIXED)
import { decimal, Decimal } from '../../engine/money.js';
import type { Json } from '../../engine/plugin.js';

export interface Charge {
  /** A line: quantity x rate. */
  quantity: Decimal;
  rate: Decimal;
  /** How it was worked out, for the line's description. */
  description: string;
}

interface Tier {
  upperBound?: string | null;
  price: string;
  fee?: string | null;
}

const tiersOf = (structure: Json): Tier[] => (Array.isArray(structure.tiers) ? (structure.tiers as Tier[]) : []);

/** Each tier's [from, to) range of units, in order. */
function ranges(tiers: Tier[]): { tier: Tier; from: Decimal; to: Decimal | undefined }[] {
  let from = decimal(0);
  return tiers.map((tier) => {
    const to = tier.upperBound === undefined || tier.upperBound === null ? undefined : decimal(tier.upperBound);
    const range = { tier, from, to };
    if (to) from = to;
    return range;
  });
}

/** No usage, no charge: a tier's fee is for usage at that tier. */
export function graduated(units: Decimal, tiers: Tier[]): Decimal {
  let total = decimal(0);
  if (units.lte(0)) return total;
  for (const { tier, from, to } of ranges(tiers)) {
    const inTier = Decimal.max(decimal(0), Decimal.min(units, to ?? units).minus(from));
    total = total.plus(inTier.times(decimal(tier.price))).plus(decimal(tier.fee ?? 0));
    if (to === undefined || units.lte(to)) break;
  }
  return total;
}

export function volume(units: Decimal, tiers: Tier[]): Decimal {
  if (units.lte(0)) return decimal(0);
  const all = ranges(tiers);
  const found = all.find(({ to }) => to === undefined || units.lte(to)) ?? all.at(-1);
  return found ? units.times(decimal(found.tier.price)).plus(decimal(found.tier.fee ?? 0)) : decimal(0);
}

/**
 * The charge of a price: `usage` is the metric's value over the service period (usage prices),
 * `seats` the seat balance (SEAT_BASED), `share` the fraction of a whole period served (proration).
 */
export function charge(structure: Json, usage: Decimal, seats: Decimal, share: Decimal): Charge | undefined {
  const one = decimal(1);
  switch (structure.pricingType) {
    case 'ONE_TIME':
      return { quantity: one, rate: decimal(structure.price), description: 'one-time' };
    case 'FIXED':
      return {
        quantity: one,
        rate: decimal(structure.price).times(share),
        description: share.eq(1) ? 'per period' : `prorated ${share.toFixed(4)}`,
      };
    case 'LINEAR':
      return { quantity: usage, rate: decimal(structure.pricePerUnit), description: `${usage.toString()} units` };
    case 'PACKAGE': {
      const packages = usage.div(decimal(structure.packageSize)).ceil();
      return {
        quantity: packages,
        rate: decimal(structure.pricePerPackage),
        description: `${usage.toString()} units in ${packages.toString()} packages`,
      };
    }
    case 'GRADUATED':
      return { quantity: one, rate: graduated(usage, tiersOf(structure)), description: `${usage.toString()} units, graduated tiers` };
    case 'VOLUME':
      return { quantity: one, rate: volume(usage, tiersOf(structure)), description: `${usage.toString()} units, volume tier` };
    case 'SEAT_BASED': {
      const billed = Decimal.max(seats, decimal(structure.contractedMinimumSeats ?? 0));
      return { quantity: billed, rate: decimal(structure.pricePerSeat).times(share), description: `${billed.toString()} seats` };
    }
    default:
      return undefined;
  }
}
