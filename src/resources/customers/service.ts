// Customer changes on one partition: rules first, then the records. A customer's request carries
// its contacts and aliases too, so a create or update writes those collections as well, and a
// parentId makes the customer a member of the parent's organization.
import type { Clock } from '../../engine/clock.js';
import { RuleViolation } from '../../engine/errors.js';
import { ALIASES, CONTACTS, CUSTOMERS, type AliasRecord, type ContactRecord, type CustomerRecord } from '../../engine/records.js';
import { contactsOf, joinOrganization, leaveOrganization } from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';
import { checkCustomerRules, type ContactRequest, type CustomerRequest } from './rules.js';

export function createCustomer(partition: Partition, request: CustomerRequest, clock: Clock): CustomerRecord {
  const violations = checkCustomerRules(request, partition);
  if (violations.length > 0) throw new RuleViolation(violations);
  const { record, contacts, aliases } = fromRequest(partition, request, undefined, clock);
  partition.put(CUSTOMERS, record);
  replaceContacts(partition, record.id, contacts);
  if (aliases) replaceAliases(partition, record.id, aliases);
  if (record.parentId !== undefined) joinOrganization(partition, record.parentId, record.id, clock);
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
export function updateCustomer(partition: Partition, id: string, request: CustomerRequest, clock: Clock): CustomerRecord | undefined {
  const existing = partition.get(CUSTOMERS, id);
  if (!existing) return undefined;
  const violations = checkCustomerRules(request, partition, existing);
  if (violations.length > 0) throw new RuleViolation(violations);
  const { record, contacts, aliases } = fromRequest(partition, request, existing, clock);
  partition.put(CUSTOMERS, record);
  replaceContacts(partition, id, contacts);
  if (aliases) replaceAliases(partition, id, aliases);
  if (request.parentId !== undefined) {
    if (existing.parentId !== undefined && existing.parentId !== request.parentId) leaveOrganization(partition, existing.parentId, id);
    joinOrganization(partition, request.parentId, id, clock);
  }
  return record;
}

/**
 * Sets archivedAt; archiving again changes nothing. An archived customer disappears from default
 * lists and cannot become a parent; its existing children stay in its organization (the docs say
 * nothing about archiving a parent, so nothing else is changed).
 */
export function archiveCustomer(partition: Partition, id: string, clock: Clock): CustomerRecord | undefined {
  const existing = partition.get(CUSTOMERS, id);
  if (!existing || existing.archivedAt) return existing;
  const now = clock.now().toISOString();
  const record = { ...existing, archivedAt: now, updatedAt: now };
  partition.put(CUSTOMERS, record);
  return record;
}

/**
 * The customer's contacts become exactly `contacts`, in their order: every one it had is removed
 * first (archived ones too, as a PUT has always dropped them), so a reordered list reads back in
 * the order it was sent.
 */
function replaceContacts(partition: Partition, customerId: string, contacts: ContactRecord[]): void {
  for (const contact of contactsOf(partition, customerId)) partition.delete(CONTACTS, contact.id);
  for (const contact of contacts) partition.put(CONTACTS, contact);
}

/** The customer's aliases become `aliases`, in their order (each removed first, so the order reads back). */
function replaceAliases(partition: Partition, customerId: string, aliases: AliasRecord[]): void {
  for (const alias of partition.find(ALIASES, 'customer', customerId)) partition.delete(ALIASES, alias.id);
  for (const alias of aliases) partition.put(ALIASES, alias);
}

/**
 * The records a create/update body makes: the customer (only fields the document names are kept),
 * its contacts and, when the body names them, its aliases. New ids are drawn in a fixed order
 * (integration links, contacts, aliases, then the customer), so generated data is the same for the
 * same faker seed.
 */
function fromRequest(
  partition: Partition,
  request: CustomerRequest,
  existing: CustomerRecord | undefined,
  clock: Clock,
): { record: CustomerRecord; contacts: ContactRecord[]; aliases: AliasRecord[] | undefined } {
  const now = clock.now().toISOString();
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
      integrationIds.push(pending ?? { service, id: clock.newId(), isPending: true });
    }
  }
  const contacts = matchContacts(request.contacts, existing ? contactsOf(partition, existing.id) : [], now, clock);
  const previousAliases = new Map((existing ? partition.find(ALIASES, 'customer', existing.id) : []).map((a) => [a.value, a]));
  const aliases =
    request.customerAliases === undefined
      ? undefined
      : [...new Set(request.customerAliases)].map(
          (value) => previousAliases.get(value) ?? { id: clock.newId(), customerId: '', value, createdAt: now },
        );
  const customProperties = request.customProperties ?? existing?.customProperties ?? {};
  const parentId = request.parentId ?? existing?.parentId;
  const id = existing?.id ?? clock.newId();
  const record: CustomerRecord = {
    id,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    legalName: request.legalName,
    address: { line1, ...(line2 !== undefined && { line2 }), town, ...(state !== undefined && { state }), postcode, country },
    ...(Object.keys(customProperties).length > 0 && { customProperties: { ...customProperties } }),
    ...(request.url !== undefined && { url: request.url }),
    ...(request.label !== undefined && { label: request.label }),
    taxStatus: request.taxStatus,
    status: request.status ?? existing?.status ?? 'ACTIVE',
    ...(existing?.archivedAt !== undefined && { archivedAt: existing.archivedAt }),
    ...(parentId !== undefined && { parentId }),
    integrationIds,
  };
  return {
    record,
    contacts: contacts.map((c) => contactOf(c, id)),
    aliases: aliases?.map((a) => ({ ...a, customerId: id })),
  };
}

/**
 * A stored contact of `customerId`, written out field by field. A new contact's literal has the
 * request's fields spread into it, and V8 gives such a literal too little room, keeping the rest of
 * its fields in a second object (a PropertyArray); a spread copy of it keeps that too. Stored as
 * they were, that was one more heap object per contact, a sixteenth of a customer's (heap
 * snapshot). The contacts here are active ones (new, or matched among the active), so there is no
 * archivedAt to carry.
 */
const contactOf = ({ id, name, email, billingPreference, createdAt, updatedAt }: ContactRecord, customerId: string): ContactRecord => ({
  id,
  name,
  email,
  billingPreference,
  createdAt,
  updatedAt,
  customerId,
});

const pickContact = ({ name, email, billingPreference }: ContactRequest) => ({ name, email, billingPreference });

/**
 * The request's contacts, each keeping the id (and createdAt) of the existing non-archived contact it
 * matches by email (case-insensitive): an identical one first, otherwise the first unmatched one, so
 * two contacts sharing an email keep their own ids across an identical PUT. The rest are new.
 */
function matchContacts(requested: ContactRequest[], previous: ContactRecord[], now: string, clock: Clock): ContactRecord[] {
  const unmatched = previous.filter((c) => !c.archivedAt);
  const same = (known: ContactRecord, fields: ContactRequest) =>
    known.name === fields.name && known.email === fields.email && known.billingPreference === fields.billingPreference;
  const take = (index: number) => unmatched.splice(index, 1)[0]!;
  const fieldsOf = requested.map(pickContact);
  // Identical contacts are matched first, so a reordered or partly edited list moves no id.
  const matched: (ContactRecord | undefined)[] = fieldsOf.map((fields) => {
    const at = unmatched.findIndex((known) => same(known, fields));
    return at === -1 ? undefined : take(at);
  });
  return fieldsOf.map((fields, i): ContactRecord => {
    const identical = matched[i];
    if (identical) return identical;
    const at = unmatched.findIndex((known) => known.email.toLowerCase() === fields.email.toLowerCase());
    if (at === -1) return { id: clock.newId(), ...fields, createdAt: now, updatedAt: now, customerId: '' };
    return { ...take(at), ...fields, updatedAt: now };
  });
}
