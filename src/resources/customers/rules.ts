// Sequence's rules for customers that the OpenAPI schema states only in prose, and the fake's own
// documented decisions where the docs are silent. This is the one place they are checked; what the
// schema itself states is left to the validator.
import type { components } from '../../generated/openapi.js';
import type { Violation } from '../../engine/errors.js';
import { ALIASES, type CustomerRecord } from '../../engine/records.js';
import { hasPrimaryWhenBilled, isAncestorOrSelf, isMemberOf, ownerProblem, RELATION_MESSAGES } from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';

export type CustomerRequest = components['schemas']['CreateOrUpdateCustomerRequest'];
export type ContactRequest = components['schemas']['ContactRequestModel'];

export const MESSAGES = {
  // ContactRequestModel.billingPreference: "if any contacts receive billing communications then at
  // least one contact must be designated PRIMARY for billing".
  primaryContact: 'must include a contact with billingPreference PRIMARY when any contact has billingPreference STANDARD or PRIMARY',
  // Address.state: "State or province (required for USA and Canada)".
  stateRequired: (country: string) => `is required when address.country is ${country}`,
  stateOfCountry: (state: string, country: string) =>
    `${state} is not a ${country === 'US' ? 'US state' : 'Canadian province or territory'}`,
  aliasRepeated: (alias: string) => `${alias} is given more than once`,
  sortBy: 'must be createdAt or customProperties.<key> (the sort columns Sequence documents)',
} as const;

// The schema's State enum mixes both countries; these split it so a US address cannot take 'ON'.
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DC DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(
    ' ',
  ),
);
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));
const SUBDIVISIONS: Record<string, Set<string>> = { US: US_STATES, CA: CA_PROVINCES };
type State = NonNullable<CustomerRequest['address']['state']>;
/** States and provinces by country, for generated data that must pass the rule above. */
export const SUBDIVISIONS_OF = { US: [...US_STATES], CA: [...CA_PROVINCES] } as Record<'US' | 'CA', State[]>;

/**
 * Every rule a create (or, with `self`, an update) breaks, in request order; empty when it may be
 * stored.
 */
export function checkCustomerRules(request: CustomerRequest, partition: Partition, self?: CustomerRecord): Violation[] {
  const violations: Violation[] = [];

  if (!hasPrimaryWhenBilled(request.contacts)) {
    violations.push({ path: '/body/contacts', message: MESSAGES.primaryContact });
  }

  const { country, state } = request.address;
  const subdivisions = SUBDIVISIONS[country];
  if (subdivisions && state === undefined) {
    violations.push({ path: '/body/address/state', message: MESSAGES.stateRequired(country) });
  } else if (subdivisions && state !== undefined && !subdivisions.has(state)) {
    violations.push({ path: '/body/address/state', message: MESSAGES.stateOfCountry(state, country) });
  }

  const seen = new Set<string>();
  (request.customerAliases ?? []).forEach((alias, i) => {
    const owner = partition.find(ALIASES, 'value', alias)[0]?.customerId;
    if (seen.has(alias)) violations.push({ path: `/body/customerAliases/${i}`, message: MESSAGES.aliasRepeated(alias) });
    else if (owner !== undefined && owner !== self?.id)
      violations.push({ path: `/body/customerAliases/${i}`, message: RELATION_MESSAGES.aliasTaken(alias) });
    seen.add(alias);
  });

  // A link that is already there stays valid even if the parent was archived since: only a new one is checked.
  if (request.parentId !== undefined && !(self && isMemberOf(partition, request.parentId, self.id))) {
    const problem =
      ownerProblem(request.parentId, partition) ??
      (self && isAncestorOrSelf(partition, self.id, request.parentId) ? RELATION_MESSAGES.parentCycle : undefined);
    if (problem) violations.push({ path: '/body/parentId', message: problem });
  }

  return violations;
}
