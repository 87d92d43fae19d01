// What the store keeps, and the small interface the domain uses to reach it. The domain owns the
// rules; the store only keeps records and the indexes that make reads cheap.
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
  /** Accepted by Sequence on create; not part of the 2024-07-30 Customer response. */
  customerAliases: string[];
  contacts: Schemas['Contact'][];
  integrationIds: Schemas['IntegrationId'][];
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

/** One client id's data. Sequence accounts never see each other's, and neither do partitions. */
export interface Partition {
  getCustomer(id: string): CustomerRecord | undefined;
  insertCustomer(customer: CustomerRecord): void;
  /** Children of a parent, in the order they were added. */
  childrenOf(parentId: string): readonly CustomerRecord[];
  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined;
  insertOrganization(organization: OrganizationRecord): void;
  snapshot(): PartitionSnapshot;
}

export interface Store {
  /** The partition of a client id, made (with the initial data) on first use. */
  partition(clientId: string): Partition;
}
