// The admin operations, apart from HTTP: the admin routes and the in-process API (start()) both
// call these, so a test gets the same behaviour whichever it uses.
import { type FaultRules, type FaultRule, type FaultRuleRequest } from '../../http/faults.js';
import { IdempotencyKeys } from '../../http/idempotency.js';
import { Divergences } from '../proxy/divergences.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { TestClocks } from '../billing/clock.js';
import { generateCustomers, type SeedOptions } from './generate.js';
import type { CustomerRecord } from '../../engine/records.js';
import type { PartitionSnapshot, Store } from '../../engine/store/types.js';
import { type Journal, type JournalEntry, type JournalFilter } from './journal.js';

export type ResetTarget = 'fixtures' | 'empty';

export interface AdminDeps {
  store: Store;
  journal: Journal;
  faults: FaultRules;
  /** The fixtures a reset to 'fixtures' restores; undefined when the server runs without them. */
  fixtures: PartitionSnapshot | undefined;
  /** Idempotency-Key answers kept; a reset forgets them with the data they point at. */
  idempotency?: IdempotencyKeys;
  /** What the validating proxy (--upstream) found; empty when the fake answers itself. */
  divergences?: Divergences;
  /** Webhook deliveries (tools/webhooks/); none when the app is made without them. */
  webhooks?: Webhooks;
  /** Test clocks and the billing runs they drive (tools/billing/). */
  clocks?: TestClocks;
}

export class Admin {
  readonly idempotency: IdempotencyKeys;
  readonly divergences: Divergences;

  constructor(private readonly deps: AdminDeps) {
    this.idempotency = deps.idempotency ?? new IdempotencyKeys();
    this.divergences = deps.divergences ?? new Divergences();
  }

  get journal(): Journal {
    return this.deps.journal;
  }

  get faults(): FaultRules {
    return this.deps.faults;
  }

  get webhooks(): Webhooks | undefined {
    return this.deps.webhooks;
  }

  get clocks(): TestClocks | undefined {
    return this.deps.clocks;
  }

  /** One partition, or every partition when none is named. */
  reset(partition?: string, to: ResetTarget = this.deps.fixtures ? 'fixtures' : 'empty'): { reset: string; to: ResetTarget } {
    this.deps.store.reset(partition, to === 'fixtures' ? this.deps.fixtures : undefined);
    this.idempotency.clear(partition);
    return { reset: partition ?? 'all', to };
  }

  seed(partition: string, options: Partial<SeedOptions> = {}): Promise<CustomerRecord[]> {
    return generateCustomers(this.deps.store.partition(partition), { count: 10, seed: 1, withChildren: false, ...options });
  }

  requests(filter: JournalFilter = {}): JournalEntry[] {
    return this.deps.journal.list(filter);
  }

  clearRequests(partition?: string): void {
    this.deps.journal.clear(partition);
  }

  addFault(rule: FaultRuleRequest, partition?: string): FaultRule {
    return this.deps.faults.add(rule, partition);
  }

  removeFault(id: string, partition?: string): boolean {
    return this.deps.faults.remove(id, partition);
  }

  /** Client ids with a partition, most recently used first. */
  partitions(): string[] {
    return this.deps.store.partitionIds();
  }

  listFaults(partition?: string): FaultRule[] {
    return this.deps.faults.list(partition);
  }

  clearFaults(partition?: string): void {
    this.deps.faults.clear(partition);
  }
}
