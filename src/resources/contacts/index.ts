// Contacts (docs/resources/contacts.md): a customer's contacts, listed, added, updated and archived.
// The billing rule over them (a PRIMARY contact whenever any contact receives billing mail) holds
// after every change; customers checks the same rule for the contacts a Customer request carries.
import type { Clock } from '../../engine/clock.js';
import { found, notFound, RuleViolation } from '../../engine/errors.js';
import { isObject } from '../../engine/contract/conform.js';
import { isTrue } from '../../engine/paging.js';
import type { Call, Plugin } from '../../engine/plugin.js';
import { CONTACTS, CUSTOMERS, type ContactRecord } from '../../engine/records.js';
import { contactsOf, hasPrimaryWhenBilled, presentContact, RELATION_MESSAGES } from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';
import type { components } from '../../generated/openapi.js';

type ContactRequest = components['schemas']['ContactRequestModel'];

const pick = ({ name, email, billingPreference }: ContactRequest) => ({ name, email, billingPreference });

/** The customer a contact path names, or the 404 naming /path/customer. */
function customerOf({ partition, params }: Call): string {
  const id = params.customer!;
  found(partition.get(CUSTOMERS, id), () => notFound('customer', '/path/customer', id));
  return id;
}

/** The contact a path names, of that customer, or the 404 naming /path/id. */
function contactOf(call: Call): ContactRecord {
  const customerId = customerOf(call);
  const id = call.params.id!;
  const contact = call.partition.get(CONTACTS, id);
  return found(contact?.customerId === customerId ? contact : undefined, () => notFound('contact', '/path/id', id));
}

/** Stores the change if the customer's active contacts still keep the billing rule; a 400 at `path` otherwise. */
function save(partition: Partition, contact: ContactRecord, path: string): ContactRecord {
  const active = contactsOf(partition, contact.customerId)
    .map((c) => (c.id === contact.id ? contact : c))
    .concat(partition.get(CONTACTS, contact.id) ? [] : [contact])
    .filter((c) => !c.archivedAt);
  if (!hasPrimaryWhenBilled(active)) throw new RuleViolation([{ path, message: RELATION_MESSAGES.primaryContactKept }]);
  partition.put(CONTACTS, contact);
  return contact;
}

const now = (clock: Clock) => clock.now().toISOString();

export const contacts: Plugin = {
  name: 'contacts',
  tags: ['Contacts'],
  page: 'docs/resources/contacts.md',
  handlers: {
    getCustomersByCustomerContacts: (call) => {
      const includeArchived = isTrue(call.query.includeArchived);
      const items = contactsOf(call.partition, customerOf(call)).filter((c) => includeArchived || !c.archivedAt);
      return { body: { items: items.map(presentContact) } };
    },
    postCustomersByCustomerContacts: (call) => {
      const customerId = customerOf(call);
      const at = now(call.clock);
      const { name, email, billingPreference } = call.body as ContactRequest;
      // Field by field, not spread in: a literal with a spread in it kept some fields in a second object.
      const contact = { id: call.clock.newId(), name, email, billingPreference, createdAt: at, updatedAt: at, customerId };
      return { body: presentContact(save(call.partition, contact, '/body/billingPreference')), changed: true };
    },
    putCustomersByCustomerContactsById: (call) => {
      const existing = contactOf(call);
      const contact = { ...existing, ...pick(call.body as ContactRequest), updatedAt: now(call.clock) };
      return { body: presentContact(save(call.partition, contact, '/body/billingPreference')), changed: true };
    },
    // Archiving again changes nothing; archiving the last PRIMARY of a billed customer is refused.
    postCustomersByCustomerContactsByIdArchive: (call) => {
      const existing = contactOf(call);
      if (existing.archivedAt) return { body: presentContact(existing) };
      const at = now(call.clock);
      return { body: presentContact(save(call.partition, { ...existing, archivedAt: at, updatedAt: at }, '/path/id')), changed: true };
    },
  },
  record: {
    getCustomersByCustomerContacts: (partition, params, body) =>
      recordContacts(partition, params.customer, isObject(body) && Array.isArray(body.items) ? body.items : []),
    postCustomersByCustomerContacts: (partition, params, body) => recordContacts(partition, params.customer, [body]),
    putCustomersByCustomerContactsById: (partition, params, body) => recordContacts(partition, params.customer, [body]),
    postCustomersByCustomerContactsByIdArchive: (partition, params, body) => recordContacts(partition, params.customer, [body]),
  },
};

/** --record: contacts the upstream answered, merged into the customer's (a customer not seen yet is skipped). */
function recordContacts(partition: Partition, customerId: string | undefined, answered: unknown[]): void {
  if (customerId === undefined || !partition.get(CUSTOMERS, customerId)) return;
  for (const contact of answered)
    if (isObject(contact) && typeof contact.id === 'string') partition.put(CONTACTS, { ...(contact as ContactRecord), customerId });
}
