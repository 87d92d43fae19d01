// A stored record becomes the JSON of the published schemas (Customer, the list's item, by-alias's
// Customer20240509, aliases, organizations), with the derived fields (domain, organizations) filled
// in. Key order follows the spec's examples.
import type { components } from '../generated/openapi.js';
import { createHash } from 'node:crypto';
import { sortKeyOf } from '../store/memory.js';
import type { AliasRecord, CustomerPage, CustomerRecord, OrganizationRecord, Partition, SortKey } from '../store/types.js';
import { encodeCursor } from './pagination.js';

export type Customer = components['schemas']['Customer'];
type Schemas = components['schemas'];
type CustomerOrganization = Schemas['CustomerOrganization'];
type ListCustomerResponse = Schemas['ListCustomerResponse'];
type ListItem = Schemas['ListCustomerResponseModel'];
type CustomerAliases = Schemas['GetCustomerAliasesResponse'];
export type CustomerAlias = Schemas['CustomerAliasResponseModel'];
/** by-alias answers both shapes at once: see presentByAlias. */
type CustomerByAlias = Customer & Schemas['Customer20240509'];

/** A page's cursors carry the position of its first and last item, in the page's sort order. */
export function pageCursors(page: { hasAfter: boolean; hasBefore: boolean }, first: SortKey | undefined, last: SortKey | undefined) {
  return {
    ...(page.hasAfter && last && { after: encodeCursor(last) }),
    ...(page.hasBefore && first && { before: encodeCursor(first) }),
  };
}

export function presentPage(page: CustomerPage, partition: Partition, sortProperty?: string): ListCustomerResponse {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return {
    items: page.items.map((customer) => presentListItem(customer, partition)),
    pagination: {
      ...pageCursors(page, first && sortKeyOf(first, sortProperty), last && sortKeyOf(last, sortProperty)),
      totalResultSize: page.total,
    },
  };
}

/** ListCustomerResponseModel: the Customer without contacts and status. */
export function presentListItem(customer: CustomerRecord, partition: Partition): ListItem {
  const { contacts: _contacts, status: _status, ...item } = presentCustomer(customer, partition);
  return item;
}

/**
 * GET /customers/by-alias/{alias} is documented with the 2024-05-09 shape (Customer20240509, which
 * requires email and billingEmails) while every other read answers the 2024-07-30 Customer. The fake
 * answers both at once: the Customer, plus `email` (the PRIMARY contact's, else the first active
 * contact's, else ""), `billingEmails` (active PRIMARY and STANDARD contacts) and `contactName`, all
 * derived from the contacts, so a client decoding either shape finds its fields.
 */
export function presentByAlias(customer: CustomerRecord, partition: Partition): CustomerByAlias {
  const active = customer.contacts.filter((c) => !c.archivedAt);
  const main = active.find((c) => c.billingPreference === 'PRIMARY') ?? active[0];
  return {
    ...presentCustomer(customer, partition),
    ...(main && { contactName: main.name }),
    email: main?.email ?? '',
    billingEmails: active.filter((c) => c.billingPreference !== 'NONE').map((c) => c.email),
  };
}

export function presentAlias(alias: AliasRecord, customerId: string, clientId: string, deletedAt?: string): CustomerAlias {
  return {
    id: alias.id,
    sequenceAccountId: accountIdOf(clientId),
    customerId,
    value: alias.value,
    createdAt: alias.createdAt,
    ...(alias.label !== undefined && { label: alias.label }),
    ...(deletedAt !== undefined && { deletedAt }),
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
    customProperties: customer.customProperties ?? {},
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

/** The organizations the customer is a member of, in the order they were made, then the one it owns. */
function organizationsOf(customer: CustomerRecord, partition: Partition): CustomerOrganization[] {
  const owned = partition.organizationOwnedBy(customer.id);
  return [...partition.organizationsWithMember(customer.id), ...(owned ? [owned] : [])].map((o) => presentOrganization(o, partition));
}

export function presentOrganization(organization: OrganizationRecord, partition: Partition): CustomerOrganization {
  const named = (id: string) => ({ id, name: partition.getCustomer(id)?.legalName ?? '' });
  return { id: organization.id, owner: named(organization.ownerId), members: organization.memberIds.map(named) };
}
