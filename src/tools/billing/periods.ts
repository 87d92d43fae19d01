// Calendar arithmetic for billing runs, on dates as the document writes them (YYYY-MM-DD, UTC).
// A schedule's billing periods run from its startDate, `months` long (a price's billingFrequency),
// on its recurrenceDayOfMonth: when that day is not the start date's, the first period is the
// partial one up to the first such day.

const DAY = 86_400_000;

export const ms = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const dateOf = (time: number): string => new Date(time).toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string => dateOf(ms(date) + days * DAY);
/** Days from a to b (b exclusive). */
export const daysBetween = (a: string, b: string): number => Math.round((ms(b) - ms(a)) / DAY);

/** `date` moved by `months`, on `day` of that month (clamped to its last day). */
export function addMonths(date: string, months: number, day = Number(date.slice(8, 10))): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dateOf(Date.UTC(y, m, Math.min(day, last)));
}

/** Months in a period of each recurring billing frequency; ONE_TIME, ON_DEMAND and PER_EVENT have none. */
export const MONTHS: Readonly<Record<string, number>> = { MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12 };

export interface Period {
  /** First day. */
  start: string;
  /** The day after the last: the next period's start. */
  end: string;
  /** The length of a whole period ending at `end`, in days: what a partial period is prorated against. */
  fullDays: number;
}

/** The periods of `months` from `start`, on `day` of the month, that begin before `until` (exclusive). */
export function periods(start: string, months: number, day: number | undefined, until: string): Period[] {
  const anchorDay = day ?? Number(start.slice(8, 10));
  const found: Period[] = [];
  // The first boundary after the start, on the anchor day.
  let boundary = anchorDay === Number(start.slice(8, 10)) ? addMonths(start, months, anchorDay) : nextOnDay(start, anchorDay);
  let from = start;
  for (let i = 0; ms(from) < ms(until) && i < 10_000; i += 1) {
    const previous = addMonths(boundary, -months, anchorDay);
    found.push({ start: from, end: boundary, fullDays: daysBetween(previous, boundary) });
    from = boundary;
    boundary = addMonths(boundary, months, anchorDay);
  }
  return found;
}

/** The first date after `date` that falls on `day` of its month (clamped). */
function nextOnDay(date: string, day: number): string {
  const sameMonth = addMonths(date, 0, day);
  return ms(sameMonth) > ms(date) ? sameMonth : addMonths(date, 1, day);
}
