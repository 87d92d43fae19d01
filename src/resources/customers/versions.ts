// Customers in Sequence's older API versions (docs/versions.md). 2024-05-09 and 2024-01-01 have no
// contacts: a customer has an `email`, `billingEmails` and a `contactName`. A request in those
// shapes becomes contacts (the email the PRIMARY one, named contactName, else the legal name; each
// other billing email a STANDARD one), and an answer derives the three fields from the contacts, so
// a customer written under one version reads back under every other. `telephone` has no place in
// the current version: the version view keeps it beside the record.
import type { Json, VersionCall, VersionMapping } from '../../engine/plugin.js';
import { objects, strings, text } from '../../engine/values.js';
import { contactFields } from './present.js';

/** The older request's contact fields as the current version's contacts. */
function withContacts({ email, billingEmails, contactName, ...rest }: Json): Json {
  const primary = text(email);
  const others = strings(billingEmails).filter((address) => address !== primary);
  return {
    // "The default is TAXED" (2024-01-01's CreateCustomerRequest.taxStatus); the current version requires it.
    taxStatus: 'TAXED',
    ...rest,
    contacts: [
      ...(primary ? [{ name: text(contactName) ?? text(rest.legalName) ?? primary, email: primary, billingPreference: 'PRIMARY' }] : []),
      ...others.map((address) => ({ name: address, email: address, billingPreference: 'STANDARD' })),
    ],
  };
}

/**
 * The contact fields from the contacts. `billingEmails` answers the list the client sent (kept by the
 * version view) while it still names the same addresses, so a customer written reads back as written.
 */
function withContactFields(customer: Json, call: VersionCall): Json {
  if (typeof customer.id !== 'string') return customer;
  const derived = contactFields(call.partition, customer.id);
  const sent = strings(customer.billingEmails);
  const same =
    sent.length > 0 &&
    sent.every((address) => derived.billingEmails.includes(address)) &&
    derived.billingEmails.every((address) => sent.includes(address) || address === derived.email);
  return { ...customer, ...derived, ...(same && { billingEmails: sent }) };
}

/** 2024-01-01 names a customer's links to other systems `externalIds` ({key, value}); the current version `integrationIds` ({service, id}). */
const withExternalIds = (customer: Json, call: VersionCall): Json => ({
  ...withContactFields(customer, call),
  externalIds: objects(customer.integrationIds).map((link) => ({ key: link.service, value: link.id })),
});

const requests = { CreateCustomerRequest: withContacts, UpdateCustomerRequest: withContacts };

export const CUSTOMER_VERSIONS: Readonly<Record<string, VersionMapping>> = {
  '2024-05-09': { requests, answers: { Customer20240509: withContactFields } },
  // 2024-01-01 has two names for one shape: Customer (in a create's answer) and Customer20240101.
  '2024-01-01': { requests, answers: { Customer: withExternalIds, Customer20240101: withExternalIds } },
};
