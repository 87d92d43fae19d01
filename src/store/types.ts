// What the store keeps, and the small interface the domain uses to reach it. The domain owns the
// rules; the store keeps records and the indexes that make reads cheap (no scan of a partition per
// request: lists walk an ordered index, filters start from a hash index).
import type { components } from '../generated/openapi.js';

type Schemas = components['schemas'];

/** One customer as stored. Organizations and domain are derived when presented, never stored. */
export interface CustomerRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  legalName: string;
  address: Schemas['Address'];
  url?: string;
  label?: string;
  taxStatus: Schemas['TaxStatus'];
  status: Schemas['CustomerStatus'];
  archivedAt?: string;
  parentId?: string;
  /** Alias values with when each was added (Sequence returns both from /customers/{id}/aliases). */
  aliases: AliasRecord[];
  /** Every contact, archived ones included (they carry archivedAt), in the order they were added. */
  contacts: Schemas['Contact'][];
  integrationIds: Schemas['IntegrationId'][];
}

export interface AliasRecord {
  id: string;
  value: string;
  createdAt: string;
}

/** The organization a parent owns; its members are the customers whose parentId is the owner. */
export interface OrganizationRecord {
  id: string;
  ownerId: string;
}

/** A partition's whole state as plain data (fixtures file, later the lowdb snapshot). */
export interface PartitionSnapshot {
  customers: CustomerRecord[];
  organizations: OrganizationRecord[];
}

/** A position in the (createdAt, id) order: what a pagination cursor carries. */
export interface SortKey {
  createdAt: number;
  id: string;
}

export interface CustomerQuery {
  /** Exact, case-insensitive matches; several filters must all match. */
  legalName?: string;
  email?: string;
  alias?: string;
  includeArchived: boolean;
  order: 'ASC' | 'DESC';
  limit: number;
  /** At most one: the page after (or before) this position, in `order`. */
  after?: SortKey;
  before?: SortKey;
}

export interface CustomerPage {
  items: CustomerRecord[];
  total: number;
  /** Whether matching items exist before the first / after the last item of the page. */
  hasBefore: boolean;
  hasAfter: boolean;
}

/** One client id's data. Sequence accounts never see each other's, and neither do partitions. */
export interface Partition {
  getCustomer(id: string): CustomerRecord | undefined;
  /** Inserts or replaces; the store re-indexes what changed (parent, names, emails, aliases). */
  putCustomer(customer: CustomerRecord): void;
  /** Children of a parent, in the order they joined. */
  childrenOf(parentId: string): readonly CustomerRecord[];
  customerByAlias(alias: string): CustomerRecord | undefined;
  query(query: CustomerQuery): CustomerPage;
  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined;
  insertOrganization(organization: OrganizationRecord): void;
  snapshot(): PartitionSnapshot;
}

export interface Store {
  /** The partition of a client id, made (with the initial data) on first use. */
  partition(clientId: string): Partition;
  /** Replaces one partition (or every existing one) with a fresh one holding `data`, or nothing. */
  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void;
  /** Resolves once every change made so far is durable; a 2xx is sent only after it. */
  commit(): Promise<void>;
  /** Flushes and lets go of any files. */
  close(): Promise<void>;
}
