// The default store: plain Maps per partition, an array kept sorted by (createdAt, id) for lists,
// and hash indexes for children, names, emails and aliases.
import type {
  CustomerPage,
  CustomerQuery,
  CustomerRecord,
  OrganizationRecord,
  Partition,
  PartitionSnapshot,
  SortKey,
  Store,
} from './types.js';

export function sortKeyOf(customer: CustomerRecord): SortKey {
  return { createdAt: Date.parse(customer.createdAt), id: customer.id };
}

export function compareKeys(a: SortKey, b: SortKey): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A Map of Sets, for the many-to-one indexes. */
class MultiIndex {
  private readonly map = new Map<string, Set<string>>();
  add(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids) ids.add(id);
    else this.map.set(key, new Set([id]));
  }
  delete(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids?.delete(id) && ids.size === 0) this.map.delete(key);
  }
  get(key: string): ReadonlySet<string> {
    return this.map.get(key) ?? new Set();
  }
}

const fold = (s: string) => s.toLowerCase();
const activeEmails = (c: CustomerRecord) => new Set(c.contacts.filter((k) => !k.archivedAt).map((k) => fold(k.email)));

export class MemoryPartition implements Partition {
  private readonly customers = new Map<string, CustomerRecord>();
  /** Ascending by (createdAt, id); keys never change after creation. */
  private readonly ordered: { key: SortKey; customer: CustomerRecord }[] = [];
  private archived = 0;
  private readonly children = new MultiIndex();
  private readonly byName = new MultiIndex();
  private readonly byEmail = new MultiIndex();
  private readonly byAlias = new Map<string, string>();
  private readonly organizations = new Map<string, OrganizationRecord>();

  constructor(initial?: PartitionSnapshot) {
    // structuredClone: every partition gets its own copy of the fixtures to change.
    const data = initial ? structuredClone(initial) : undefined;
    for (const organization of data?.organizations ?? []) this.insertOrganization(organization);
    for (const customer of data?.customers ?? []) this.putCustomer(customer);
  }

  getCustomer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  putCustomer(customer: CustomerRecord): void {
    const previous = this.customers.get(customer.id);
    if (previous) this.unindex(previous);
    this.customers.set(customer.id, customer);
    const key = sortKeyOf(customer);
    const at = this.lowerBound(key);
    if (previous) this.ordered[at]!.customer = customer;
    else this.ordered.splice(at, 0, { key, customer });
    if (customer.archivedAt) this.archived += 1;
    // Children keep the order they joined in: only a change of parent moves one.
    if (customer.parentId !== previous?.parentId) {
      if (previous?.parentId !== undefined) this.children.delete(previous.parentId, customer.id);
      if (customer.parentId !== undefined) this.children.add(customer.parentId, customer.id);
    }
    this.byName.add(fold(customer.legalName), customer.id);
    for (const email of activeEmails(customer)) this.byEmail.add(email, customer.id);
    for (const alias of customer.aliases) this.byAlias.set(alias.value, customer.id);
  }

  private unindex(customer: CustomerRecord): void {
    if (customer.archivedAt) this.archived -= 1;
    this.byName.delete(fold(customer.legalName), customer.id);
    for (const email of activeEmails(customer)) this.byEmail.delete(email, customer.id);
    for (const alias of customer.aliases) this.byAlias.delete(alias.value);
  }

  childrenOf(parentId: string): readonly CustomerRecord[] {
    return [...this.children.get(parentId)].map((id) => this.customers.get(id)!);
  }

  customerByAlias(alias: string): CustomerRecord | undefined {
    const id = this.byAlias.get(alias);
    return id === undefined ? undefined : this.customers.get(id);
  }

  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined {
    return this.organizations.get(ownerId);
  }

  insertOrganization(organization: OrganizationRecord): void {
    this.organizations.set(organization.ownerId, organization);
  }

  /** First index whose key is >= `key` (binary search over the ordered array). */
  private lowerBound(key: SortKey, list: readonly { key: SortKey }[] = this.ordered): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(list[mid]!.key, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  query(query: CustomerQuery): CustomerPage {
    const filtered = query.legalName !== undefined || query.email !== undefined || query.alias !== undefined;
    // Unfiltered lists walk the ordered index; filtered ones start from the (small) matching set.
    const candidates = filtered ? this.matching(query) : this.ordered;
    const visible = (i: number) => query.includeArchived || !candidates[i]!.customer.archivedAt;
    const total = filtered
      ? candidates.filter((_, i) => visible(i)).length
      : query.includeArchived ? this.ordered.length : this.ordered.length - this.archived;

    // Work in ascending indexes; `step` walks in the list's order, `back` against it.
    const step = query.order === 'ASC' ? 1 : -1;
    const back = -step;
    const cursor = query.after ?? query.before;
    let start: number; // first index to look at, walking `dir`
    let dir: number;
    if (cursor === undefined) {
      start = step === 1 ? 0 : candidates.length - 1;
      dir = step;
    } else {
      const at = this.lowerBound(cursor, candidates);
      const exact = at < candidates.length && compareKeys(candidates[at]!.key, cursor) === 0;
      // Index just past the cursor in direction d: upward skips an exact match, downward is at-1.
      const beyond = (d: number) => (d === 1 ? at + (exact ? 1 : 0) : at - 1);
      dir = query.after ? step : back;
      start = beyond(dir);
    }

    const picked: number[] = [];
    let i = start;
    for (; i >= 0 && i < candidates.length && picked.length < query.limit; i += dir) {
      if (visible(i)) picked.push(i);
    }
    const anyFrom = (from: number, d: number) => {
      for (let j = from; j >= 0 && j < candidates.length; j += d) if (visible(j)) return true;
      return false;
    };
    const moreInWalk = anyFrom(i, dir);
    // Something before where the walk started (the cursor itself counts if visible).
    const behindWalk = cursor === undefined ? false : anyFrom(start - dir, -dir);
    if (dir !== step) picked.reverse();
    return {
      items: picked.map((j) => candidates[j]!.customer),
      total,
      hasAfter: dir === step ? moreInWalk : behindWalk,
      hasBefore: dir === step ? behindWalk : moreInWalk,
    };
  }

  private matching(query: CustomerQuery): { key: SortKey; customer: CustomerRecord }[] {
    const sets: ReadonlySet<string>[] = [];
    if (query.legalName !== undefined) sets.push(this.byName.get(fold(query.legalName)));
    if (query.email !== undefined) sets.push(this.byEmail.get(fold(query.email)));
    if (query.alias !== undefined) {
      const id = this.byAlias.get(query.alias);
      sets.push(new Set(id === undefined ? [] : [id]));
    }
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    return [...(smallest ?? [])]
      .filter((id) => rest.every((set) => set.has(id)))
      .map((id) => this.customers.get(id)!)
      .map((customer) => ({ key: sortKeyOf(customer), customer }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  snapshot(): PartitionSnapshot {
    return structuredClone({ customers: [...this.customers.values()], organizations: [...this.organizations.values()] });
  }
}

export interface MemoryStoreOptions {
  /** What every new partition starts with (the fixtures), or nothing. */
  initial?: PartitionSnapshot;
  /**
   * The most partitions kept; past it the least recently used one is dropped, so a long-running
   * fake called with ever-new client ids (a test per random id) does not grow without limit.
   */
  maxPartitions?: number;
}

export const DEFAULT_MAX_PARTITIONS = 1000;

export class MemoryStore implements Store {
  /** Map order is recency order: a partition is moved to the end each time it is used. */
  private readonly partitions = new Map<string, MemoryPartition>();
  private readonly initial: PartitionSnapshot | undefined;
  readonly maxPartitions: number;

  constructor(options: MemoryStoreOptions | PartitionSnapshot = {}) {
    const opts: MemoryStoreOptions = 'customers' in options ? { initial: options } : options;
    this.initial = opts.initial;
    this.maxPartitions = opts.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
  }

  partition(clientId: string): Partition {
    let partition = this.partitions.get(clientId);
    if (partition) {
      this.partitions.delete(clientId);
    } else {
      partition = new MemoryPartition(this.initial);
      if (this.partitions.size >= this.maxPartitions) this.partitions.delete(this.partitions.keys().next().value!);
    }
    this.partitions.set(clientId, partition);
    return partition;
  }

  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void {
    const ids = clientId === undefined ? [...this.partitions.keys()] : [clientId];
    for (const id of ids) this.partitions.set(id, new MemoryPartition(data));
  }

  get size(): number {
    return this.partitions.size;
  }

  /** Memory has nothing to flush. */
  commit(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
