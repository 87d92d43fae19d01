// A stored record becomes the Customer JSON of the 2024-07-30 schema, with the derived fields
// (domain, organizations) filled in. Key order follows the spec's example.
import type { components } from '../generated/openapi.js';
import type { CustomerRecord, Partition } from '../store/types.js';

export type Customer = components['schemas']['Customer'];
type CustomerOrganization = components['schemas']['CustomerOrganization'];

export function presentCustomer(customer: CustomerRecord, partition: Partition): Customer {
  const domain = domainOf(customer.url);
  return {
    id: customer.id,
    createdAt: customer.createdAt,
    organizations: organizationsOf(customer, partition),
    legalName: customer.legalName,
    address: customer.address,
    ...(customer.url !== undefined && { url: customer.url }),
    ...(domain !== undefined && { domain }),
    ...(customer.label !== undefined && { label: customer.label }),
    integrationIds: customer.integrationIds,
    ...(customer.archivedAt !== undefined && { archivedAt: customer.archivedAt }),
    taxStatus: customer.taxStatus,
    contacts: customer.contacts,
    status: customer.status,
  };
}

/** "https://www.example.com/x" -> "example.com"; a scheme-less "example.com/x" works too. */
export function domainOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  for (const candidate of [url, `https://${url}`]) {
    try {
      const { hostname } = new URL(candidate);
      if (hostname.includes('.')) return hostname.replace(/^www\./, '');
    } catch {
      // not a URL this way; try the next
    }
  }
  return undefined;
}

/** The organization the customer is a member of (via its parent), then the one it owns. */
function organizationsOf(customer: CustomerRecord, partition: Partition): CustomerOrganization[] {
  const organizations: CustomerOrganization[] = [];
  const parent = customer.parentId === undefined ? undefined : partition.getCustomer(customer.parentId);
  if (parent) {
    const view = organizationView(parent, partition);
    if (view) organizations.push(view);
  }
  const owned = organizationView(customer, partition);
  if (owned) organizations.push(owned);
  return organizations;
}

function organizationView(owner: CustomerRecord, partition: Partition): CustomerOrganization | undefined {
  const organization = partition.organizationOwnedBy(owner.id);
  const children = partition.childrenOf(owner.id);
  if (!organization || children.length === 0) return undefined;
  return {
    id: organization.id,
    owner: { id: owner.id, name: owner.legalName },
    members: children.map((child) => ({ id: child.id, name: child.legalName })),
  };
}
