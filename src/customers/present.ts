// A stored record becomes the Customer JSON of the 2024-07-30 schema, with the derived fields
// (domain, organizations) filled in. Key order follows the spec's example.
import type { components } from '../generated/openapi.js';
import { createHash } from 'node:crypto';
import { sortKeyOf } from '../store/memory.js';
import type { CustomerPage, CustomerRecord, Partition } from '../store/types.js';
import { encodeCursor } from './pagination.js';

export type Customer = components['schemas']['Customer'];
type CustomerOrganization = components['schemas']['CustomerOrganization'];
type ListCustomersResponse = components['schemas']['ListCustomersResponse'];
type CustomerAliases = components['schemas']['GetCustomerAliasesEndpointEndpointResponse'];

export function presentPage(page: CustomerPage, partition: Partition): ListCustomersResponse {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return {
    items: page.items.map((customer) => presentCustomer(customer, partition)),
    pagination: {
      ...(page.hasAfter && last && { after: encodeCursor(sortKeyOf(last)) }),
      ...(page.hasBefore && first && { before: encodeCursor(sortKeyOf(first)) }),
      totalResultSize: page.total,
    },
  };
}

/** A stable UUID-shaped id for the Sequence account a client id stands for. */
export function accountIdOf(clientId: string): string {
  const hex = createHash('sha1').update(`sequence-mock:${clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function presentAliases(customer: CustomerRecord, clientId: string): CustomerAliases {
  const sequenceAccountId = accountIdOf(clientId);
  return {
    items: customer.aliases.map(({ id, value, createdAt }) => ({ id, sequenceAccountId, customerId: customer.id, value, createdAt })),
  };
}

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
