// The collections that more than one resource reads: the Customers area's. A customer's contacts,
// aliases, payment settings and organizations are collections of their own, each written by its own
// resource (src/resources/<name>/) and read by others through these declarations, the way services
// share a database schema. A collection only one resource reads is declared in that resource.
import type { components } from '../generated/openapi.js';
import { collection } from './store/types.js';

type Schemas = components['schemas'];

/** Case-insensitive matching, as Sequence's filters by name, label and email are. */
export const fold = (text: string): string => text.toLowerCase();

/** One customer as stored. Its contacts, aliases, payment settings and organizations are stored apart. */
export type CustomerRecord = {
  id: string;
  createdAt: string;
  updatedAt: string;
  legalName: string;
  address: Schemas['Address'];
  /** Not stored when empty (an empty object per customer costs memory at 100k); presented as {}. */
  customProperties?: Record<string, string>;
  url?: string;
  label?: string;
  taxStatus: Schemas['TaxStatus'];
  status: Schemas['CustomerStatus'];
  archivedAt?: string;
  /** The parent last asked for (create/update); membership itself is in the organizations. */
  parentId?: string;
  integrationIds: Schemas['IntegrationId1'][];
};

/** A contact, archived ones included (they carry archivedAt), with the customer it belongs to. */
export type ContactRecord = Schemas['Contact'] & { customerId: string };

export type AliasRecord = {
  id: string;
  customerId: string;
  value: string;
  createdAt: string;
  label?: string;
};

/** The organization a customer owns (at most one per owner); members in the order they joined. */
export type OrganizationRecord = {
  id: string;
  ownerId: string;
  memberIds: string[];
};

/** /payments/settings/customers: at most one per customer. */
export type PaymentSettingsRecord = {
  id: string;
  customerId: string;
  paymentProvider: Schemas['PaymentProvider'];
};

/**
 * Lists walk customers by (createdAt, id), as cursors name a position in that order. The list's
 * filters sort what they find: filters, so a suite that only creates customers does not keep them
 * (a customer's legal name, label and property keys are usually shared by every customer a suite
 * makes, which made each create add to a Set of all of them). The archived count is read by every
 * list, and a create adds nothing to it.
 */
export const CUSTOMERS = collection<CustomerRecord>('/customers', {
  indexes: { archived: (c) => (c.archivedAt === undefined ? undefined : 'archived') },
  filters: {
    legalName: (c) => fold(c.legalName),
    label: (c) => (c.label === undefined ? undefined : fold(c.label)),
    customPropertyKey: (c) => Object.keys(c.customProperties ?? {}),
  },
  order: (c) => ({ createdAt: Date.parse(c.createdAt), id: c.id }),
});

/** A customer's contacts are one collection for the partition, found by customer (not one per customer). */
export const CONTACTS = collection<ContactRecord>('/customers/{customer}/contacts', {
  indexes: { customer: (c) => c.customerId },
  filters: {
    /** Only active contacts: a customer is found by the email of a contact that still receives mail. */
    activeEmail: (c) => (c.archivedAt === undefined ? fold(c.email) : undefined),
  },
});

export const ALIASES = collection<AliasRecord>('/customer-aliases', {
  indexes: { value: (a) => a.value, customer: (a) => a.customerId },
  order: (a) => ({ createdAt: Date.parse(a.createdAt), id: a.id }),
});

export const ORGANIZATIONS = collection<OrganizationRecord>('/customer-organizations', {
  indexes: { owner: (o) => o.ownerId, member: (o) => o.memberIds },
});

export const PAYMENT_SETTINGS = collection<PaymentSettingsRecord>('/payments/settings/customers', {
  indexes: { customer: (s) => s.customerId },
});

/**
 * Billing schedules are a generic collection of the document (src/engine/collections.ts); customers
 * read them too: a customer's billingStatus is ACTIVE while one of its schedules is.
 */
export const BILLING_SCHEDULES = collection('/billing-schedules', {
  indexes: {
    customer: (s) => (typeof s.customerId === 'string' ? s.customerId : undefined),
    activeCustomer: (s) =>
      s.status === 'ACTIVE' && s.archivedAt === undefined && typeof s.customerId === 'string' ? s.customerId : undefined,
  },
});
