// Customer and contact operations on one partition: rules first, then the store. No HTTP in here:
// the service returns records (or undefined for "not there") and throws RuleViolation for bad input.
import type { components } from '../generated/openapi.js';
import type { CustomerPage, CustomerQuery, CustomerRecord, Partition } from '../store/types.js';
import { checkCustomerRules, hasPrimaryWhenBilled, RULES, RuleViolation, type ContactRequest, type CustomerRequest } from './rules.js';

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
  linkToParent(partition, record, deps);
  partition.putCustomer(record);
  return record;
}

/**
 * PUT semantics, as Sequence documents them: the body replaces the customer, and its `contacts`
 * "will replace all existing contacts". Decisions where the docs are silent: a contact whose email
 * matches an existing one keeps its id and createdAt; an omitted `status` keeps the current one.
 */
export function updateCustomer(partition: Partition, id: string, request: CustomerRequest, deps: ServiceDeps): CustomerRecord | undefined {
  const existing = partition.getCustomer(id);
  if (!existing) return undefined;
  const violations = checkCustomerRules(request, partition, existing);
  if (violations.length > 0) throw new RuleViolation(violations);
  const now = deps.now().toISOString();
  const record = fromRequest(request, existing, now, deps);
  linkToParent(partition, record, deps);
  partition.putCustomer(record);
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

export function updateContact(partition: Partition, customerId: string, contactId: string, request: ContactRequest, deps: ServiceDeps): Contact | undefined {
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
  const { line1, town, state, postcode, country } = request.address;
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

  const previousContacts = new Map((existing?.contacts ?? []).filter((c) => !c.archivedAt).map((c) => [c.email.toLowerCase(), c]));
  const contacts = request.contacts.map((input): Contact => {
    const fields = pickContact(input);
    const known = previousContacts.get(input.email.toLowerCase());
    previousContacts.delete(input.email.toLowerCase()); // a repeated email is a new contact
    if (!known) return { id: deps.newId(), ...fields, createdAt: now, updatedAt: now };
    const changed = known.name !== fields.name || known.email !== fields.email || known.billingPreference !== fields.billingPreference;
    return changed ? { ...known, ...fields, updatedAt: now } : known;
  });

  const previousAliases = new Map((existing?.aliases ?? []).map((a) => [a.value, a]));
  const aliases = [...new Set(request.customerAliases ?? [])].map(
    (value) => previousAliases.get(value) ?? { id: deps.newId(), value, createdAt: now },
  );

  return {
    id: existing?.id ?? deps.newId(),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    legalName: request.legalName,
    address: { line1, town, ...(state !== undefined && { state }), postcode, country },
    ...(request.url !== undefined && { url: request.url }),
    ...(request.label !== undefined && { label: request.label }),
    taxStatus: request.taxStatus,
    status: request.status ?? existing?.status ?? 'ACTIVE',
    ...(existing?.archivedAt !== undefined && { archivedAt: existing.archivedAt }),
    ...(request.parentId !== undefined && { parentId: request.parentId }),
    aliases,
    contacts,
    integrationIds,
  };
}

/** A parent owns one organization, made with its first child and shared by every later one. */
function linkToParent(partition: Partition, record: CustomerRecord, deps: ServiceDeps): void {
  if (record.parentId !== undefined && !partition.organizationOwnedBy(record.parentId)) {
    partition.insertOrganization({ id: deps.newId(), ownerId: record.parentId });
  }
}
