// Customer operations on one partition: rules first, then the store. No HTTP in here: the
// service returns records (or undefined for "not there") and throws RuleViolation for bad input.
import type { CustomerRecord, Partition } from '../store/types.js';
import { checkCustomerRules, RuleViolation, type CustomerRequest } from './rules.js';

/** Time and ids come from outside so tests and seeded runs can fix them. */
export interface ServiceDeps {
  now(): Date;
  newId(): string;
}

export function createCustomer(partition: Partition, request: CustomerRequest, deps: ServiceDeps): CustomerRecord {
  const violations = checkCustomerRules(request, partition);
  if (violations.length > 0) throw new RuleViolation(violations);

  const now = deps.now().toISOString();
  const { line1, town, state, postcode, country } = request.address;
  const integrationIds: CustomerRecord['integrationIds'] = (request.integrationIds ?? []).map(({ service, id }) => ({
    service,
    id,
    isPending: false,
    lastSynced: now,
  }));
  // pushToIntegrations asks Sequence to create the customer in Xero: until that sync runs the link
  // is pending. A customer already linked to Xero keeps its link.
  for (const service of request.pushToIntegrations ?? []) {
    if (!integrationIds.some((link) => link.service === service)) {
      integrationIds.push({ service, id: deps.newId(), isPending: true });
    }
  }

  // Only fields the spec names are kept: unknown properties are accepted but never stored or echoed.
  const record: CustomerRecord = {
    id: deps.newId(),
    createdAt: now,
    updatedAt: now,
    legalName: request.legalName,
    address: { line1, town, ...(state !== undefined && { state }), postcode, country },
    ...(request.url !== undefined && { url: request.url }),
    ...(request.label !== undefined && { label: request.label }),
    taxStatus: request.taxStatus,
    status: request.status ?? 'ACTIVE',
    ...(request.parentId !== undefined && { parentId: request.parentId }),
    customerAliases: [...(request.customerAliases ?? [])],
    contacts: request.contacts.map(({ name, email, billingPreference }) => ({
      id: deps.newId(),
      name,
      email,
      billingPreference,
      createdAt: now,
      updatedAt: now,
    })),
    integrationIds,
  };

  // A parent owns one organization, made with its first child and shared by every later one.
  if (record.parentId !== undefined && !partition.organizationOwnedBy(record.parentId)) {
    partition.insertOrganization({ id: deps.newId(), ownerId: record.parentId });
  }
  partition.insertCustomer(record);
  return record;
}

export function getCustomer(partition: Partition, id: string): CustomerRecord | undefined {
  return partition.getCustomer(id);
}
