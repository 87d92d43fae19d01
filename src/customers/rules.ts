// Sequence's rules for customers and contacts that the OpenAPI schema states only in prose, and the
// fake's own documented decisions where the docs are silent. This is the one place they are checked;
// what the schema itself states is left to the validator.
import type { components } from '../generated/openapi.js';
import { isAncestorOrSelf, isMemberOf } from '../organizations/membership.js';
import type { CustomerRecord, Partition } from '../store/types.js';
import type { Violation } from '../rules/violation.js';

export type CustomerRequest = components['schemas']['CreateOrUpdateCustomerRequest'];
export type ContactRequest = components['schemas']['ContactRequestModel'];

export const RULES = {
  // ContactRequestModel.billingPreference: "if any contacts receive billing communications then at
  // least one contact must be designated PRIMARY for billing".
  primaryContact: 'must include a contact with billingPreference PRIMARY when any contact has billingPreference STANDARD or PRIMARY',
  primaryContactKept: 'would leave contacts receiving billing communications without a PRIMARY one; at least one contact must be PRIMARY',
  // Address.state: "State or province (required for USA and Canada)".
  stateRequired: (country: string) => `is required when address.country is ${country}`,
  stateOfCountry: (state: string, country: string) =>
    `${state} is not a ${country === 'US' ? 'US state' : 'Canadian province or territory'}`,
  parentUnknown: 'must be the id of an existing customer',
  parentArchived: 'names an archived customer, which cannot be a parent',
  // CustomerStatus: "DRAFT ... cannot be used while it is in DRAFT".
  parentDraft: 'names a DRAFT customer, which cannot be used while it is in DRAFT',
  parentCycle: 'would make the customer its own ancestor',
  aliasTaken: (alias: string) => `${alias} is already an alias of another customer`,
  aliasRepeated: (alias: string) => `${alias} is given more than once`,
  aliasOwned: (alias: string) => `${alias} is already an alias of this customer`,
  sortBy: 'must be createdAt or customProperties.<key> (the sort columns Sequence documents)',
  // The limit parameter's description: "Must be between 1 and 100 (inclusive)" (no minimum or maximum in its schema).
  limit: 'must be between 1 and 100 (inclusive)',
  cursorBoth: 'cannot be combined with after: page forwards with after or backwards with before',
  cursorMalformed: 'is not a cursor this API returned for this sort order',
  memberUnknown: 'must be the id of an existing customer',
  ownerHasOrganization: (id: string) =>
    `already owns organization ${id}; add members to it with POST /customer-organizations/${id}/members`,
  aliasCustomerUnknown: 'must be the id of an existing customer',
  settingsCustomerUnknown: 'must be the id of an existing customer',
  settingsExist: (id: string) => `already has payment settings ${id}; change them with PUT /payments/settings/customers/${id}`,
} as const;

// The schema's State enum mixes both countries; these split it so a US address cannot take 'ON'.
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DC DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(
    ' ',
  ),
);
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));
const SUBDIVISIONS: Record<string, Set<string>> = { US: US_STATES, CA: CA_PROVINCES };
/** States and provinces by country, for generated data that must pass the rule above. */
export const SUBDIVISIONS_OF = { US: [...US_STATES], CA: [...CA_PROVINCES] } as Record<'US' | 'CA', State[]>;
type State = NonNullable<CustomerRequest['address']['state']>;

type Billing = Pick<ContactRequest, 'billingPreference'>;

/** The billing rule over a set of (non-archived) contacts. */
export function hasPrimaryWhenBilled(contacts: readonly Billing[]): boolean {
  const billed = contacts.some((c) => c.billingPreference !== 'NONE');
  return !billed || contacts.some((c) => c.billingPreference === 'PRIMARY');
}

/**
 * Every rule a create (or, with `self`, an update) breaks, in request order; empty when it may be
 * stored.
 */
export function checkCustomerRules(request: CustomerRequest, partition: Partition, self?: CustomerRecord): Violation[] {
  const violations: Violation[] = [];

  if (!hasPrimaryWhenBilled(request.contacts)) {
    violations.push({ path: '/body/contacts', message: RULES.primaryContact });
  }

  const { country, state } = request.address;
  const subdivisions = SUBDIVISIONS[country];
  if (subdivisions && state === undefined) {
    violations.push({ path: '/body/address/state', message: RULES.stateRequired(country) });
  } else if (subdivisions && state !== undefined && !subdivisions.has(state)) {
    violations.push({ path: '/body/address/state', message: RULES.stateOfCountry(state, country) });
  }

  const seen = new Set<string>();
  (request.customerAliases ?? []).forEach((alias, i) => {
    const owner = partition.customerByAlias(alias);
    if (seen.has(alias)) violations.push({ path: `/body/customerAliases/${i}`, message: RULES.aliasRepeated(alias) });
    else if (owner && owner.id !== self?.id) violations.push({ path: `/body/customerAliases/${i}`, message: RULES.aliasTaken(alias) });
    seen.add(alias);
  });

  // A link that is already there stays valid even if the parent was archived since: only a new one is checked.
  if (request.parentId !== undefined && !(self && isMemberOf(partition, request.parentId, self.id))) {
    const problem =
      ownerProblem(request.parentId, partition) ??
      (self && isAncestorOrSelf(partition, self.id, request.parentId) ? RULES.parentCycle : undefined);
    if (problem) violations.push({ path: '/body/parentId', message: problem });
  }

  return violations;
}

/** Why a customer cannot own an organization (be a parent), if it cannot. */
export function ownerProblem(ownerId: string, partition: Partition): string | undefined {
  const owner = partition.getCustomer(ownerId);
  if (!owner) return RULES.parentUnknown;
  if (owner.archivedAt) return RULES.parentArchived;
  if (owner.status === 'DRAFT') return RULES.parentDraft;
  return undefined;
}
