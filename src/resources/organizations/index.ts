// Organizations (docs/resources/organizations.md): /customer-organizations, the same organizations
// the customers' `organizations` show. Rules the schema states only in prose: the owner must be a
// customer that can be a parent (existing, not archived, not DRAFT), members must exist, and no
// customer may end up its own ancestor. Decisions where the docs are silent: one organization per
// owner (a second is a 400 pointing at the first); the owner listed among its own members is
// dropped, as "members ... excluding the owner" says and the documented request example does;
// adding a member twice changes nothing.
import { found, notFound, RuleViolation, type Violation } from '../../engine/errors.js';
import type { Call, Plugin, Recorder } from '../../engine/plugin.js';
import { CUSTOMERS, ORGANIZATIONS, type OrganizationRecord } from '../../engine/records.js';
import {
  isAncestorOrSelf,
  organizationOwnedBy,
  ownerProblem,
  presentOrganization,
  recordOrganization,
  RELATION_MESSAGES,
} from '../../engine/relations.js';
import type { Partition } from '../../engine/store/types.js';
import type { components } from '../../generated/openapi.js';

type Schemas = components['schemas'];
type OrganizationRequest = Schemas['CustomerOrganizationRequest'];
type MembersRequest = Schemas['CustomerOrganizationMembers'];

export const MESSAGES = {
  memberUnknown: 'must be the id of an existing customer',
  ownerHasOrganization: (id: string) =>
    `already owns organization ${id}; add members to it with POST /customer-organizations/${id}/members`,
} as const;

function create(call: Call): OrganizationRecord {
  const { partition } = call;
  const request = call.body as OrganizationRequest;
  const violations: Violation[] = [];
  const problem = ownerProblem(request.ownerId, partition);
  if (problem) violations.push({ path: '/body/ownerId', message: problem });
  const existing = problem ? undefined : organizationOwnedBy(partition, request.ownerId);
  if (existing) violations.push({ path: '/body/ownerId', message: MESSAGES.ownerHasOrganization(existing.id) });
  const memberIds = checkMembers(partition, request.ownerId, request.memberIds, '/body/memberIds', violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  const organization = { id: call.clock.newId(), ownerId: request.ownerId, memberIds };
  partition.put(ORGANIZATIONS, organization);
  return organization;
}

/** Adds members (POST) or replaces them all (PUT). */
function changeMembers(call: Call, replace: boolean): OrganizationRecord {
  const { partition, params } = call;
  const id = params.id!;
  const organization = found(partition.get(ORGANIZATIONS, id), () => notFound('customer organization', '/path/id', id));
  const violations: Violation[] = [];
  const requested = checkMembers(
    partition,
    organization.ownerId,
    (call.body as MembersRequest).customerIds,
    '/body/customerIds',
    violations,
  );
  if (violations.length > 0) throw new RuleViolation(violations);
  const memberIds = replace ? requested : [...organization.memberIds, ...requested.filter((m) => !organization.memberIds.includes(m))];
  const changed = { ...organization, memberIds };
  partition.put(ORGANIZATIONS, changed);
  return changed;
}

/** The distinct member ids to store, in request order, without the owner; violations by index. */
function checkMembers(partition: Partition, ownerId: string, ids: string[], path: string, violations: Violation[]): string[] {
  ids.forEach((id, i) => {
    if (id === ownerId) return;
    if (!partition.get(CUSTOMERS, id)) violations.push({ path: `${path}/${i}`, message: MESSAGES.memberUnknown });
    else if (isAncestorOrSelf(partition, id, ownerId)) violations.push({ path: `${path}/${i}`, message: RELATION_MESSAGES.parentCycle });
  });
  return [...new Set(ids.filter((id) => id !== ownerId))];
}

const recordAnswer: Recorder = (partition, _params, body) => recordOrganization(partition, body);

export const organizations: Plugin = {
  name: 'organizations',
  tags: ['Organizations'],
  page: 'docs/resources/organizations.md',
  handlers: {
    postCustomerOrganizations: (call) => ({ body: presentOrganization(create(call), call.partition), changed: true }),
    postCustomerOrganizationsByIdMembers: (call) => ({
      body: presentOrganization(changeMembers(call, false), call.partition),
      changed: true,
    }),
    putCustomerOrganizationsByIdMembers: (call) => ({
      body: presentOrganization(changeMembers(call, true), call.partition),
      changed: true,
    }),
  },
  record: {
    postCustomerOrganizations: recordAnswer,
    postCustomerOrganizationsByIdMembers: recordAnswer,
    putCustomerOrganizationsByIdMembers: recordAnswer,
  },
};
