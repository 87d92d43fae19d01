// A stored customer becomes the JSON of the published schemas (Customer, the list's item, by-alias's
// Customer20240509), with the derived fields (domain, organizations, contacts) filled in. Key order
// follows the document's examples.
import type { components } from '../../generated/openapi.js';
import { pagination, type Page } from '../../engine/paging.js';
import type { CustomerRecord } from '../../engine/records.js';
import { billingEmailsOf, contactsOf, organizationsOf, presentContact } from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';

type Schemas = components['schemas'];
export type Customer = Schemas['Customer'];
type ListCustomerResponse = Schemas['ListCustomerResponse'];
type ListItem = Schemas['ListCustomerResponseModel'];
/** by-alias answers both shapes at once: see presentByAlias. */
type CustomerByAlias = Customer & Schemas['Customer20240509'];

export function presentPage(page: Page<CustomerRecord>, partition: Partition): ListCustomerResponse {
  return { items: page.items.map((customer) => presentListItem(customer, partition)), pagination: pagination(page) };
}

/** ListCustomerResponseModel: the Customer without contacts and status (so neither is looked up). */
export function presentListItem(customer: CustomerRecord, partition: Partition): ListItem {
  const { contacts: _contacts, status: _status, ...item } = presentCustomer(customer, partition, false);
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
  return { ...presentCustomer(customer, partition), ...contactFields(partition, customer.id) };
}

/** The 2024-05-09 and 2024-01-01 contact fields of a customer, derived from its contacts (docs/versions.md). */
export function contactFields(partition: Partition, customerId: string): { contactName?: string; email: string; billingEmails: string[] } {
  const active = contactsOf(partition, customerId).filter((c) => !c.archivedAt);
  const main = active.find((c) => c.billingPreference === 'PRIMARY') ?? active[0];
  return { ...(main && { contactName: main.name }), email: main?.email ?? '', billingEmails: billingEmailsOf(partition, customerId) };
}

export function presentCustomer(customer: CustomerRecord, partition: Partition, withContacts = true): Customer {
  const domain = domainOf(customer.url);
  return {
    id: customer.id,
    createdAt: customer.createdAt,
    organizations: organizationsOf(customer.id, partition),
    legalName: customer.legalName,
    address: customer.address,
    ...(customer.url !== undefined && { url: customer.url }),
    ...(domain !== undefined && { domain }),
    ...(customer.label !== undefined && { label: customer.label }),
    integrationIds: customer.integrationIds,
    ...(customer.archivedAt !== undefined && { archivedAt: customer.archivedAt }),
    taxStatus: customer.taxStatus,
    contacts: withContacts ? contactsOf(partition, customer.id).map(presentContact) : [],
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
