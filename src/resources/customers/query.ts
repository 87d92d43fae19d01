// GET /customers: filters, sort and one page, from the indexes the customers' collection declares
// (no scan of a partition per request: unfiltered lists walk the ordered collection, filters start
// from the smallest matching index).
import { RuleViolation, type Violation } from '../../engine/errors.js';
import { pageRequest, walk, type ListParams, type Page, type PageRequest } from '../../engine/paging.js';
import { ALIASES, BILLING_SCHEDULES, CONTACTS, CUSTOMERS, fold, type CustomerRecord } from '../../engine/records.js';
import { compareKeys } from '../../engine/store/memory.js';
import { sortedView, type Partition, type SortedView, type SortKey } from '../../engine/store/types.js';
import { MESSAGES } from './rules.js';

export interface CustomerQuery extends PageRequest {
  /** Exact, case-insensitive matches; several filters must all match. */
  legalName?: string;
  email?: string;
  alias?: string;
  label?: string;
  /** ACTIVE: the customer has an ACTIVE billing schedule that is not archived; INACTIVE: it has none. */
  billingStatus?: string;
  /** Sort by this custom property's value (customers without it last), then (createdAt, id). */
  sortProperty?: string;
  includeArchived: boolean;
}

/** A customer's position in a list: (createdAt, id), led by a custom property's value when sorting by one. */
export function sortKeyOf(customer: CustomerRecord, property?: string): SortKey {
  const key = { createdAt: Date.parse(customer.createdAt), id: customer.id };
  return property === undefined ? key : { value: customer.customProperties?.[property] ?? null, ...key };
}

/** Checks what the document leaves to prose, and reads the query; throws RuleViolation. */
export function toCustomerQuery(params: ListParams): CustomerQuery {
  const violations: Violation[] = [];
  const property = /^customProperties\.(.+)$/.exec(params.sortBy ?? '')?.[1];
  if (params.sortBy !== undefined && params.sortBy !== 'createdAt' && property === undefined)
    violations.push({ path: '/query/sortBy', message: MESSAGES.sortBy });
  const page = pageRequest(params, 'DESC', property !== undefined, violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  const text = (name: string) => (typeof params[name] === 'string' ? params[name] : undefined);
  const filters = Object.fromEntries(
    ['legalName', 'email', 'alias', 'label', 'billingStatus'].flatMap((name) => (text(name) === undefined ? [] : [[name, text(name)]])),
  ) as Pick<CustomerQuery, 'legalName' | 'email' | 'alias' | 'label' | 'billingStatus'>;
  return {
    ...page,
    ...filters,
    ...(property !== undefined && { sortProperty: property }),
    includeArchived: params.includeArchived ?? false,
  };
}

export function listCustomers(partition: Partition, query: CustomerQuery): Page<CustomerRecord> {
  const billed = query.billingStatus === undefined ? undefined : new Set(partition.keys(BILLING_SCHEDULES, 'activeCustomer'));
  const visible = (customer: CustomerRecord) =>
    (query.includeArchived || !customer.archivedAt) &&
    (billed === undefined || billed.has(customer.id) === (query.billingStatus === 'ACTIVE'));
  const filtered = [query.legalName, query.email, query.alias, query.label, query.sortProperty, query.billingStatus].some(
    (f) => f !== undefined,
  );
  if (filtered) return walk(matching(partition, query), query, visible);
  const all = partition.ordered(CUSTOMERS);
  const total = query.includeArchived ? all.length : all.length - partition.count(CUSTOMERS, 'archived', 'archived');
  return walk(all, query, visible, total);
}

/** The customers every filter matches, in sort order: starting from the smallest index's set. */
function matching(partition: Partition, query: CustomerQuery): SortedView<CustomerRecord> {
  const sets: ReadonlySet<string>[] = [];
  const ids = (records: readonly { id: string }[]) => new Set(records.map((r) => r.id));
  if (query.legalName !== undefined) sets.push(ids(partition.find(CUSTOMERS, 'legalName', fold(query.legalName))));
  if (query.email !== undefined)
    sets.push(new Set(partition.find(CONTACTS, 'activeEmail', fold(query.email)).map((contact) => contact.customerId)));
  if (query.label !== undefined) sets.push(ids(partition.find(CUSTOMERS, 'label', fold(query.label))));
  if (query.alias !== undefined) sets.push(new Set(partition.find(ALIASES, 'value', query.alias).map((alias) => alias.customerId)));
  sets.sort((a, b) => a.size - b.size);
  const [smallest, ...rest] = sets;
  // Sorting by a custom property with no filter starts from every customer: O(n log n) a page.
  const candidates = smallest ? [...smallest] : partition.all(CUSTOMERS).map((c) => c.id);
  return sortedView(
    candidates
      .filter((id) => rest.every((set) => set.has(id)))
      .flatMap((id) => partition.get(CUSTOMERS, id) ?? [])
      .map((customer) => ({ key: sortKeyOf(customer, query.sortProperty), record: customer }))
      .sort((a, b) => compareKeys(a.key, b.key)),
  );
}
