// Sequence's rules for a customer that the OpenAPI schema states only in prose. This is the one
// place they are checked; what the schema itself states is left to the validator.
import type { components } from '../generated/openapi.js';
import type { Partition } from '../store/types.js';

export type CustomerRequest = components['schemas']['CreateOrUpdateCustomerRequest'];

/** A problem with a request, named by a JSON path into it (as the validator names its own). */
export interface Violation {
  path: string;
  message: string;
}

/** Thrown by the domain when a request breaks a rule; the HTTP layer answers it with 400. */
export class RuleViolation extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.path} ${v.message}`).join('; '));
  }
}

export const RULES = {
  // ContactRequestModel.billingPreference: "if any contacts receive billing communications then at
  // least one contact must be designated PRIMARY for billing".
  primaryContact:
    'must include a contact with billingPreference PRIMARY when any contact has billingPreference STANDARD or PRIMARY',
  // Address.state: "State or province (required for USA and Canada)".
  stateRequired: (country: string) => `is required when address.country is ${country}`,
  stateOfCountry: (state: string, country: string) => `${state} is not a ${country === 'US' ? 'US state' : 'Canadian province or territory'}`,
  parentUnknown: 'must be the id of an existing customer',
  parentArchived: 'names an archived customer, which cannot be a parent',
  // CustomerStatus: "DRAFT ... cannot be used while it is in DRAFT".
  parentDraft: 'names a DRAFT customer, which cannot be used while it is in DRAFT',
} as const;

// The schema's State enum mixes both countries; these split it so a US address cannot take 'ON'.
const US_STATES = new Set('AL AK AZ AR CA CO CT DC DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(' '));
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));
const SUBDIVISIONS: Record<string, Set<string>> = { US: US_STATES, CA: CA_PROVINCES };

/** Every rule the request breaks, in request order; empty when it may be stored. */
export function checkCustomerRules(request: CustomerRequest, partition: Partition): Violation[] {
  const violations: Violation[] = [];

  const billed = request.contacts.some((c) => c.billingPreference !== 'NONE');
  if (billed && !request.contacts.some((c) => c.billingPreference === 'PRIMARY')) {
    violations.push({ path: '/body/contacts', message: RULES.primaryContact });
  }

  const { country, state } = request.address;
  const subdivisions = SUBDIVISIONS[country];
  if (subdivisions && state === undefined) {
    violations.push({ path: '/body/address/state', message: RULES.stateRequired(country) });
  } else if (subdivisions && state !== undefined && !subdivisions.has(state)) {
    violations.push({ path: '/body/address/state', message: RULES.stateOfCountry(state, country) });
  }

  if (request.parentId !== undefined) {
    const parent = partition.getCustomer(request.parentId);
    const problem = !parent
      ? RULES.parentUnknown
      : parent.archivedAt
        ? RULES.parentArchived
        : parent.status === 'DRAFT'
          ? RULES.parentDraft
          : undefined;
    if (problem) violations.push({ path: '/body/parentId', message: problem });
  }

  return violations;
}
