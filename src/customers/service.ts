// Customer and contact operations on one partition: rules first, then the store. No HTTP in here:
// the service returns records (or undefined for "not there") and throws RuleViolation for bad input.
import type { components } from '../generated/openapi.js';
import type { CustomerPage, CustomerQuery, CustomerRecord, Partition } from '../store/types.js';
import { RuleViolation } from '../rules/violation.js';
import { checkCustomerRules, hasPrimaryWhenBilled, RULES, type ContactRequest, type CustomerRequest } from './rules.js';
import { joinOrganization, leaveOrganization } from '../organizations/membership.js';

type Contact = components['schemas']['Contact'];

/** Time and ids come from outside so tests and seeded runs can fix them. */
export interface ServiceDeps {
  now(): Date;
  newId(): string;
}

export function createCustomer(partition: Partition, request: CustomerRequest, deps: ServiceDeps): CustomerRecord {
  const violations = checkCustomerRules(request, partition);
  if (violations.length > 0) throw new RuleViolation(violations);
  const now = deps.now().toISOString();
  const record = fromRequest(request, undefined, now, deps);
  partition.putCustomer(record);
  if (record.parentId !== undefined) joinOrganization(partition, record.parentId, record.id, deps);
  return record;
}

/**
 * PUT semantics, as Sequence documents them: the body replaces the customer, its `contacts` "will
 * replace all existing contacts", and an omitted `customProperties` leaves them unchanged.
 * Decisions where the docs are silent, so that a read-modify-write of the Customer loses nothing it
 * did not mean to drop (the Customer has no customerAliases, parentId or status-less form to echo):
 * a contact whose email matches an existing one keeps its id and createdAt; omitted `status`,
 * `customerAliases` and `parentId` keep what is there. A new `parentId` moves the customer from the
 * old parent's organization to the new one's.
 */
export function updateCustomer(partition: Partition, id: string, request: CustomerRequest, deps: ServiceDeps): CustomerRecord | undefined {
  const existing = partition.getCustomer(id);
  if (!existing) return undefined;
  const violations = checkCustomerRules(request, partition, existing);
  if (violations.length > 0) throw new RuleViolation(violations);
  const now = deps.now().toISOString();
  const record = fromRequest(request, existing, now, deps);
  partition.putCustomer(record);
  if (request.parentId !== undefined) {
    if (existing.parentId !== undefined && existing.parentId !== request.parentId) leaveOrganization(partition, existing.parentId, id);
    joinOrganization(partition, request.parentId, id, deps);
  }
  return record;
}

/**
 * Sets archivedAt; archiving again changes nothing. An archived customer disappears from default
 * lists and cannot become a parent; its existing children stay in its organization (the docs say
 * nothing about archiving a parent, so nothing else is changed).
 */
export function archiveCustomer(partition: Partition, id: string, deps: ServiceDeps): CustomerRecord | undefined {
  const existing = partition.getCustomer(id);
  if (!existing || existing.archivedAt) return existing;
  const now = deps.now().toISOString();
  const record = { ...existing, archivedAt: now, updatedAt: now };
  partition.putCustomer(record);
  return record;
}

export function getCustomer(partition: Partition, id: string): CustomerRecord | undefined {
  return partition.getCustomer(id);
}

export function getCustomerByAlias(partition: Partition, alias: string): CustomerRecord | undefined {
  return partition.customerByAlias(alias);
}

export function listCustomers(partition: Partition, query: CustomerQuery): CustomerPage {
  return partition.query(query);
}

export function listContacts(partition: Partition, customerId: string, includeArchived: boolean): Contact[] | undefined {
  const customer = partition.getCustomer(customerId);
  return customer?.contacts.filter((c) => includeArchived || !c.archivedAt);
}

export function createContact(partition: Partition, customerId: string, request: ContactRequest, deps: ServiceDeps): Contact | undefined {
  const customer = partition.getCustomer(customerId);
  if (!customer) return undefined;
  const now = deps.now().toISOString();
  const contact: Contact = { id: deps.newId(), ...pickContact(request), createdAt: now, updatedAt: now };
  return saveContacts(partition, customer, [...customer.contacts, contact], now, '/body/billingPreference') && contact;
}

export function updateContact(
  partition: Partition,
  customerId: string,
  contactId: string,
  request: ContactRequest,
  deps: ServiceDeps,
): Contact | undefined {
  const customer = partition.getCustomer(customerId);
  const existing = customer?.contacts.find((c) => c.id === contactId);
  if (!customer || !existing) return undefined;
  const now = deps.now().toISOString();
  const contact: Contact = { ...existing, ...pickContact(request), updatedAt: now };
  const contacts = customer.contacts.map((c) => (c.id === contactId ? contact : c));
  return saveContacts(partition, customer, contacts, now, '/body/billingPreference') && contact;
}

/** Archiving again changes nothing; archiving the last PRIMARY of a billed customer is refused. */
export function archiveContact(partition: Partition, customerId: string, contactId: string, deps: ServiceDeps): Contact | undefined {
  const customer = partition.getCustomer(customerId);
  const existing = customer?.contacts.find((c) => c.id === contactId);
  if (!customer || !existing || existing.archivedAt) return existing;
  const now = deps.now().toISOString();
  const contact: Contact = { ...existing, archivedAt: now, updatedAt: now };
  const contacts = customer.contacts.map((c) => (c.id === contactId ? contact : c));
  return saveContacts(partition, customer, contacts, now, '/path/id') && contact;
}

function saveContacts(partition: Partition, customer: CustomerRecord, contacts: Contact[], now: string, path: string): true {
  if (!hasPrimaryWhenBilled(contacts.filter((c) => !c.archivedAt))) {
    throw new RuleViolation([{ path, message: RULES.primaryContactKept }]);
  }
  partition.putCustomer({ ...customer, contacts, updatedAt: now });
  return true;
}

const pickContact = ({ name, email, billingPreference }: ContactRequest) => ({ name, email, billingPreference });

/** A stored record from a create/update body; only fields the spec names are kept. */
function fromRequest(request: CustomerRequest, existing: CustomerRecord | undefined, now: string, deps: ServiceDeps): CustomerRecord {
  const { line1, line2, town, state, postcode, country } = request.address;
  const previousLinks = existing?.integrationIds ?? [];
  const integrationIds: CustomerRecord['integrationIds'] = (request.integrationIds ?? []).map(({ service, id }) => {
    // A link that was already there keeps its sync state.
    const known = previousLinks.find((link) => link.service === service && link.id === id);
    return known ?? { service, id, isPending: false, lastSynced: now };
  });
  // pushToIntegrations asks Sequence to create the customer in Xero: until that sync runs the link
  // is pending. A customer already linked to Xero keeps its link.
  for (const service of request.pushToIntegrations ?? []) {
    if (!integrationIds.some((link) => link.service === service)) {
      const pending = previousLinks.find((link) => link.service === service && link.isPending);
      integrationIds.push(pending ?? { service, id: deps.newId(), isPending: true });
    }
  }

  const contacts = matchContacts(request.contacts, existing?.contacts ?? [], now, deps);

  const previousAliases = new Map((existing?.aliases ?? []).map((a) => [a.value, a]));
  const aliases =
    request.customerAliases === undefined
      ? (existing?.aliases ?? [])
      : [...new Set(request.customerAliases)].map((value) => previousAliases.get(value) ?? { id: deps.newId(), value, createdAt: now });
  const customProperties = request.customProperties ?? existing?.customProperties ?? {};
  const parentId = request.parentId ?? existing?.parentId;

  return {
    id: existing?.id ?? deps.newId(),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    legalName: request.legalName,
    address: { line1, ...(line2 !== undefined && { line2 }), town, ...(state !== undefined && { state }), postcode, country },
    // Not stored when empty: presentation answers {} (an empty object per customer costs memory at 100k).
    ...(Object.keys(customProperties).length > 0 && { customProperties: { ...customProperties } }),
    ...(request.url !== undefined && { url: request.url }),
    ...(request.label !== undefined && { label: request.label }),
    taxStatus: request.taxStatus,
    status: request.status ?? existing?.status ?? 'ACTIVE',
    ...(existing?.archivedAt !== undefined && { archivedAt: existing.archivedAt }),
    ...(parentId !== undefined && { parentId }),
    aliases,
    contacts,
    integrationIds,
    ...(existing?.paymentSettings && { paymentSettings: existing.paymentSettings }),
  };
}

/**
 * The request's contacts, each keeping the id (and createdAt) of the existing non-archived contact it
 * matches by email (case-insensitive): an identical one first, otherwise the first unmatched one, so
 * two contacts sharing an email keep their own ids across an identical PUT. The rest are new.
 */
function matchContacts(requested: ContactRequest[], previous: Contact[], now: string, deps: ServiceDeps): Contact[] {
  const unmatched = previous.filter((c) => !c.archivedAt);
  const same = (known: Contact, fields: ContactRequest) =>
    known.name === fields.name && known.email === fields.email && known.billingPreference === fields.billingPreference;
  const take = (index: number) => unmatched.splice(index, 1)[0]!;
  const fieldsOf = requested.map(pickContact);
  // Identical contacts are matched first, so a reordered or partly edited list moves no id.
  const matched: (Contact | undefined)[] = fieldsOf.map((fields) => {
    const at = unmatched.findIndex((known) => same(known, fields));
    return at === -1 ? undefined : take(at);
  });
  return fieldsOf.map((fields, i): Contact => {
    const identical = matched[i];
    if (identical) return identical;
    const at = unmatched.findIndex((known) => known.email.toLowerCase() === fields.email.toLowerCase());
    if (at === -1) return { id: deps.newId(), ...fields, createdAt: now, updatedAt: now };
    return { ...take(at), ...fields, updatedAt: now };
  });
}
