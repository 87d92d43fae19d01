// A test clock per partition (docs/billing-runs.md), as Stripe's test clocks: read it, put it at a
// time, advance it by a duration or to a time; each move forward runs billing up to the new day.
// Every timestamp the fake writes in the partition comes from its clock (engine/clock.ts clockOf).
import { clockOf, setClock, TEST_CLOCK, type Clock } from '../../engine/clock.js';
import type { Engine } from '../../engine/engine.js';
import type { Store } from '../../engine/store/types.js';
import { addMonths } from './periods.js';
import { runBilling, type RunResult } from './runs.js';

/** An ISO 8601 duration (P1M, P2W, P10D, PT12H, P1Y2M3DT4H5M6S); undefined when it is not one. */
export function parseDuration(text: string): { months: number; ms: number } | undefined {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((v) => Number(v ?? 0));
  return { months: y! * 12 + mo!, ms: ((((w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60 + s!) * 1000 };
}

/** `time` moved by a duration: months on the calendar (day clamped), the rest in milliseconds. */
export function plus(time: Date, by: { months: number; ms: number }): Date {
  const iso = time.toISOString();
  const date = by.months === 0 ? iso.slice(0, 10) : addMonths(iso.slice(0, 10), by.months);
  return new Date(Date.parse(`${date}${iso.slice(10)}`) + by.ms);
}

export interface ClockView {
  now: string;
  /** Whether the partition runs on a test clock (false: the server's clock). */
  testClock: boolean;
}

export class TestClocks {
  private engine: Engine | undefined;

  constructor(
    private readonly store: Store,
    private readonly base: Clock,
  ) {}

  attach(engine: Engine): void {
    this.engine = engine;
  }

  read(clientId: string): ClockView {
    const partition = this.store.partition(clientId);
    return { now: clockOf(partition, this.base).now().toISOString(), testClock: partition.get(TEST_CLOCK, 'clock') !== undefined };
  }

  /** Puts the partition's clock at `to`; moving forward bills what fell due up to its day. */
  set(clientId: string, to: Date): ClockView & RunResult {
    if (!this.engine) throw new Error('test clocks: no engine attached');
    const partition = this.store.partition(clientId);
    const from = clockOf(partition, this.base).now();
    setClock(partition, this.base, to);
    const run =
      to.getTime() > from.getTime()
        ? runBilling(this.engine, partition, clientId, this.base, to.toISOString().slice(0, 10))
        : { invoices: [], completed: [], upcoming: [] };
    return { ...this.read(clientId), ...run };
  }

  advance(clientId: string, by: { months: number; ms: number }): ClockView & RunResult {
    return this.set(clientId, plus(clockOf(this.store.partition(clientId), this.base).now(), by));
  }

  /** Back on the server's clock; nothing is billed. */
  reset(clientId: string): ClockView {
    setClock(this.store.partition(clientId), this.base, undefined);
    return this.read(clientId);
  }
}
