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
  /** Custom key-value properties; replaced whole when a request sends them, kept when it omits them. */
  customProperties?: Record<string, string>;
  url?: string;
  label?: string;
  taxStatus: Schemas['TaxStatus'];
  status: Schemas['CustomerStatus'];
  archivedAt?: string;
  /** The parent last asked for (create/update); organization membership itself is on OrganizationRecord. */
  parentId?: string;
  /** Alias values with when each was added (Sequence returns both from /customers/{id}/aliases). */
  aliases: AliasRecord[];
  /** Every contact, archived ones included (they carry archivedAt), in the order they were added. */
  contacts: Schemas['Contact'][];
  integrationIds: Schemas['IntegrationId1'][];
  /** /payments/settings/customers: at most one per customer. */
  paymentSettings?: PaymentSettingsRecord;
}

export interface PaymentSettingsRecord {
  id: string;
  paymentProvider: Schemas['PaymentProvider'];
}

export interface AliasRecord {
  id: string;
  value: string;
  createdAt: string;
  label?: string;
}

/**
 * The organization a customer owns (one per owner). Members are listed explicitly, in the order they
 * joined; a customer may be a member of several. Files of format 1 have no memberIds: they are derived
 * from the customers' parentId when loaded.
 */
export interface OrganizationRecord {
  id: string;
  ownerId: string;
  memberIds: string[];
}

/**
 * A resource of the rest of Sequence's API (billing schedules, usage events, invoices, ...), kept as
 * the JSON the fake answered with: its shape is the document's, checked when it is answered.
 */
export interface StoredRecord {
  id: string;
  [field: string]: unknown;
}

/** A partition's whole state as plain data (fixtures file, later the lowdb snapshot). */
export interface PartitionSnapshot {
  customers: CustomerRecord[];
  organizations: OrganizationRecord[];
  /** Collection name (the resource's path, e.g. "/billing-schedules") -> its records, oldest first. */
  records?: Record<string, StoredRecord[]>;
}

/** A position in the (createdAt, id) order, led by a custom property's value when sorting by one: what a cursor carries. */
export interface SortKey {
  value?: string | null;
  createdAt: number;
  id: string;
}

export interface CustomerQuery {
  /** Exact, case-insensitive matches; several filters must all match. */
  legalName?: string;
  email?: string;
  alias?: string;
  label?: string;
  /** Sequence derives it from active billing schedules; the fake has none, so every customer is INACTIVE. */
  billingStatus?: 'ACTIVE' | 'INACTIVE';
  /** Sort by this custom property's value (customers without it last), then (createdAt, id). */
  sortProperty?: string;
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
  customerByAlias(alias: string): CustomerRecord | undefined;
  /** The customer holding the alias with this id. */
  customerByAliasId(aliasId: string): CustomerRecord | undefined;
  /** The customer holding the payment settings with this id. */
  customerByPaymentSettingsId(settingsId: string): CustomerRecord | undefined;
  /** Every alias of the partition with its list position, oldest first (ties by id), optionally only those of one value. */
  aliases(value?: string): readonly { key: SortKey; alias: AliasRecord; customer: CustomerRecord }[];
  /** Distinct custom property keys over every customer, sorted. */
  customPropertyKeys(): string[];
  query(query: CustomerQuery): CustomerPage;
  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined;
  organization(id: string): OrganizationRecord | undefined;
  /** Organizations listing the customer as a member, in the order they were made. */
  organizationsWithMember(customerId: string): readonly OrganizationRecord[];
  /** Inserts or replaces (by owner). */
  putOrganization(organization: OrganizationRecord): void;
  /** One collection's records, oldest first (a replaced record keeps its place). */
  records(collection: string): readonly StoredRecord[];
  getRecord(collection: string, id: string): StoredRecord | undefined;
  /** Inserts or replaces (by id). */
  putRecord(collection: string, record: StoredRecord): void;
  deleteRecord(collection: string, id: string): void;
  snapshot(): PartitionSnapshot;
}

export interface Store {
  /** The partition of a client id, made (with the initial data) on first use. */
  partition(clientId: string): Partition;
  /** The client ids that have a partition, the most recently used first (for the dashboard's picker). */
  partitionIds(): string[];
  /** Replaces one partition (or every existing one) with a fresh one holding `data`, or nothing. */
  reset(clientId: string | undefined, data: PartitionSnapshot | undefined): void;
  /** Resolves once every change made so far is durable; a 2xx is sent only after it. */
  commit(): Promise<void>;
  /** Flushes and lets go of any files. */
  close(): Promise<void>;
}
