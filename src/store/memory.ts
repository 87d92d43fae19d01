// The default store: plain Maps per partition, an array kept sorted by (createdAt, id) for lists,
// and hash indexes for names, labels, emails, aliases, payment settings and organization members.
import type {
  AliasRecord,
  CustomerPage,
  CustomerQuery,
  CustomerRecord,
  OrganizationRecord,
  Partition,
  PartitionSnapshot,
  SortKey,
  Store,
  StoredRecord,
} from './types.js';

/** A customer's position in a list: (createdAt, id), led by a custom property's value when sorting by one. */
export function sortKeyOf(customer: CustomerRecord, property?: string): SortKey {
  const key = { createdAt: Date.parse(customer.createdAt), id: customer.id };
  return property === undefined ? key : { value: customer.customProperties?.[property] ?? null, ...key };
}

/** (value, createdAt, id); a missing value sorts after every value (NULLS LAST when ascending). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value !== undefined || b.value !== undefined) {
    const av = a.value ?? null;
    const bv = b.value ?? null;
    if (av !== bv) return av === null ? 1 : bv === null ? -1 : av < bv ? -1 : 1;
  }
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Format 1 files kept membership as the members' parentId: members in the order the file lists them. */
function withMembers(data: PartitionSnapshot): PartitionSnapshot {
  if (data.organizations.every((o) => Array.isArray(o.memberIds))) return data;
  return {
    ...data,
    organizations: data.organizations.map((o) =>
      Array.isArray(o.memberIds) ? o : { ...o, memberIds: data.customers.filter((c) => c.parentId === o.ownerId).map((c) => c.id) },
    ),
  };
}

/**
 * Key -> ids, for the many-to-one indexes. Most keys (names, labels) belong to one customer, so a
 * lone id is kept as a string and a Set is made only for a second one (a Set per customer cost about
 * 0.3 KB each at 100k customers, measured by npm run bench).
 */
class MultiIndex {
  private readonly map = new Map<string, string | Set<string>>();
  add(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids === undefined || ids === id) this.map.set(key, id);
    else if (typeof ids === 'string') this.map.set(key, new Set([ids, id]));
    else ids.add(id);
  }
  delete(key: string, id: string): void {
    const ids = this.map.get(key);
    if (ids === id) this.map.delete(key);
    else if (typeof ids !== 'string' && ids?.delete(id) && ids.size === 1) this.map.set(key, ids.values().next().value!);
  }
  get(key: string): ReadonlySet<string> {
    const ids = this.map.get(key);
    return ids === undefined ? new Set() : typeof ids === 'string' ? new Set([ids]) : ids;
  }
}

const fold = (s: string) => s.toLowerCase();
const activeEmails = (c: CustomerRecord) => new Set(c.contacts.filter((k) => !k.archivedAt).map((k) => fold(k.email)));

export class MemoryPartition implements Partition {
  private readonly customers = new Map<string, CustomerRecord>();
  /** Ascending by (createdAt, id); keys never change after creation. */
  private readonly ordered: { key: SortKey; customer: CustomerRecord }[] = [];
  private archived = 0;
  private readonly byName = new MultiIndex();
  private readonly byLabel = new MultiIndex();
  private readonly byEmail = new MultiIndex();
  private readonly byAlias = new Map<string, string>();
  private readonly byAliasId = new Map<string, string>();
  private readonly byPaymentSettings = new Map<string, string>();
  /** By owner id. */
  private readonly organizations = new Map<string, OrganizationRecord>();
  private readonly ownerOf = new Map<string, string>();
  /** Member id -> owner ids of the organizations it belongs to. */
  private readonly memberships = new MultiIndex();
  /** Collection -> id -> record; Map order is creation order. */
  private readonly collections = new Map<string, Map<string, StoredRecord>>();

  constructor(initial?: PartitionSnapshot) {
    // structuredClone: every partition gets its own copy of the fixtures to change.
    const data = initial ? withMembers(structuredClone(initial)) : undefined;
    for (const organization of data?.organizations ?? []) this.putOrganization(organization);
    for (const customer of data?.customers ?? []) this.putCustomer(customer);
    for (const [collection, records] of Object.entries(data?.records ?? {}))
      for (const record of records) this.putRecord(collection, record);
  }

  records(collection: string): readonly StoredRecord[] {
    return [...(this.collections.get(collection)?.values() ?? [])];
  }

  getRecord(collection: string, id: string): StoredRecord | undefined {
    return this.collections.get(collection)?.get(id);
  }

  putRecord(collection: string, record: StoredRecord): void {
    let records = this.collections.get(collection);
    if (!records) this.collections.set(collection, (records = new Map<string, StoredRecord>()));
    records.set(record.id, record);
  }

  deleteRecord(collection: string, id: string): void {
    this.collections.get(collection)?.delete(id);
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
    this.byName.add(fold(customer.legalName), customer.id);
    if (customer.label !== undefined) this.byLabel.add(fold(customer.label), customer.id);
    for (const email of activeEmails(customer)) this.byEmail.add(email, customer.id);
    for (const alias of customer.aliases) {
      this.byAlias.set(alias.value, customer.id);
      this.byAliasId.set(alias.id, customer.id);
    }
    if (customer.paymentSettings) this.byPaymentSettings.set(customer.paymentSettings.id, customer.id);
  }

  private unindex(customer: CustomerRecord): void {
    if (customer.archivedAt) this.archived -= 1;
    this.byName.delete(fold(customer.legalName), customer.id);
    if (customer.label !== undefined) this.byLabel.delete(fold(customer.label), customer.id);
    for (const email of activeEmails(customer)) this.byEmail.delete(email, customer.id);
    for (const alias of customer.aliases) {
      this.byAlias.delete(alias.value);
      this.byAliasId.delete(alias.id);
    }
    if (customer.paymentSettings) this.byPaymentSettings.delete(customer.paymentSettings.id);
  }

  customerByAliasId(aliasId: string): CustomerRecord | undefined {
    const id = this.byAliasId.get(aliasId);
    return id === undefined ? undefined : this.customers.get(id);
  }

  customerByPaymentSettingsId(settingsId: string): CustomerRecord | undefined {
    const id = this.byPaymentSettings.get(settingsId);
    return id === undefined ? undefined : this.customers.get(id);
  }

  aliases(value?: string): readonly { key: SortKey; alias: AliasRecord; customer: CustomerRecord }[] {
    const holders = value === undefined ? this.customers.values() : [this.customerByAlias(value)].filter((c) => c !== undefined);
    const found = [...holders].flatMap((customer) =>
      customer.aliases
        .filter((alias) => value === undefined || alias.value === value)
        .map((alias) => ({ key: { createdAt: Date.parse(alias.createdAt), id: alias.id }, alias, customer })),
    );
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  customPropertyKeys(): string[] {
    const keys = new Set<string>();
    for (const customer of this.customers.values()) for (const key of Object.keys(customer.customProperties ?? {})) keys.add(key);
    return [...keys].sort();
  }

  customerByAlias(alias: string): CustomerRecord | undefined {
    const id = this.byAlias.get(alias);
    return id === undefined ? undefined : this.customers.get(id);
  }

  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined {
    return this.organizations.get(ownerId);
  }

  organization(id: string): OrganizationRecord | undefined {
    const owner = this.ownerOf.get(id);
    return owner === undefined ? undefined : this.organizations.get(owner);
  }

  organizationsWithMember(customerId: string): readonly OrganizationRecord[] {
    return [...this.memberships.get(customerId)].map((owner) => this.organizations.get(owner)!);
  }

  putOrganization(organization: OrganizationRecord): void {
    const previous = this.organizations.get(organization.ownerId);
    for (const member of previous?.memberIds ?? []) this.memberships.delete(member, organization.ownerId);
    this.organizations.set(organization.ownerId, organization);
    this.ownerOf.set(organization.id, organization.ownerId);
    for (const member of organization.memberIds) this.memberships.add(member, organization.ownerId);
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
    // No customer has an active billing schedule in the fake, so ACTIVE matches none.
    if (query.billingStatus === 'ACTIVE') return { items: [], total: 0, hasBefore: false, hasAfter: false };
    const filtered =
      query.legalName !== undefined ||
      query.email !== undefined ||
      query.alias !== undefined ||
      query.label !== undefined ||
      query.sortProperty !== undefined;
    // Unfiltered lists walk the ordered index; filtered ones start from the (small) matching set.
    const candidates = filtered ? this.matching(query) : this.ordered;
    const visible = (i: number) => query.includeArchived || !candidates[i]!.customer.archivedAt;
    const total = filtered
      ? candidates.filter((_, i) => visible(i)).length
      : query.includeArchived
        ? this.ordered.length
        : this.ordered.length - this.archived;

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
    if (query.label !== undefined) sets.push(this.byLabel.get(fold(query.label)));
    if (query.alias !== undefined) {
      const id = this.byAlias.get(query.alias);
      sets.push(new Set(id === undefined ? [] : [id]));
    }
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    // Sorting by a custom property with no filter starts from every customer: O(n log n) a page.
    const ids = smallest ?? this.customers.keys();
    const property = query.sortProperty;
    return [...ids]
      .filter((id) => rest.every((set) => set.has(id)))
      .map((id) => this.customers.get(id)!)
      .map((customer) => ({ key: sortKeyOf(customer, property), customer }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  snapshot(): PartitionSnapshot {
    const records = Object.fromEntries([...this.collections].filter(([, r]) => r.size > 0).map(([name, r]) => [name, [...r.values()]]));
    return structuredClone({
      customers: [...this.customers.values()],
      organizations: [...this.organizations.values()],
      ...(Object.keys(records).length > 0 && { records }),
    });
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

  partitionIds(): string[] {
    return [...this.partitions.keys()].reverse();
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
