// The default store: plain Maps per partition, with a children index so organizations are
// read without scanning every customer.
import type { CustomerRecord, OrganizationRecord, Partition, PartitionSnapshot, Store } from './types.js';

export class MemoryPartition implements Partition {
  private readonly customers = new Map<string, CustomerRecord>();
  private readonly children = new Map<string, CustomerRecord[]>();
  private readonly organizations = new Map<string, OrganizationRecord>();

  constructor(initial?: PartitionSnapshot) {
    // structuredClone: every partition gets its own copy of the fixtures to change.
    const data = initial ? structuredClone(initial) : undefined;
    for (const organization of data?.organizations ?? []) this.insertOrganization(organization);
    for (const customer of data?.customers ?? []) this.insertCustomer(customer);
  }

  getCustomer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  insertCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.id, customer);
    if (customer.parentId) {
      const siblings = this.children.get(customer.parentId);
      if (siblings) siblings.push(customer);
      else this.children.set(customer.parentId, [customer]);
    }
  }

  childrenOf(parentId: string): readonly CustomerRecord[] {
    return this.children.get(parentId) ?? [];
  }

  organizationOwnedBy(ownerId: string): OrganizationRecord | undefined {
    return this.organizations.get(ownerId);
  }

  insertOrganization(organization: OrganizationRecord): void {
    this.organizations.set(organization.ownerId, organization);
  }

  snapshot(): PartitionSnapshot {
    return structuredClone({ customers: [...this.customers.values()], organizations: [...this.organizations.values()] });
  }
}

export class MemoryStore implements Store {
  private readonly partitions = new Map<string, MemoryPartition>();

  /** @param initial what every new partition starts with (the fixtures), or nothing. */
  constructor(private readonly initial?: PartitionSnapshot) {}

  partition(clientId: string): Partition {
    let partition = this.partitions.get(clientId);
    if (!partition) {
      partition = new MemoryPartition(this.initial);
      this.partitions.set(clientId, partition);
    }
    return partition;
  }
}
