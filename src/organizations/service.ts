// /customer-organizations: the same organizations the customers' `organizations` show. Rules the
// schema states only in prose: the owner must be a customer that can be a parent (existing, not
// archived, not DRAFT), members must exist, and no customer may end up its own ancestor. Decisions
// where the docs are silent: one organization per owner (a second is a 400 pointing at the first);
// the owner listed among its own members is dropped, as "members ... excluding the owner" says and
// the documented request example does; adding a member twice changes nothing.
import { ownerProblem, RULES } from '../customers/rules.js';
import { RuleViolation, type Violation } from '../rules/violation.js';
import type { components } from '../generated/openapi.js';
import type { OrganizationRecord, Partition } from '../store/types.js';
import { isAncestorOrSelf, type IdSource } from './membership.js';

type Schemas = components['schemas'];
export type OrganizationRequest = Schemas['CustomerOrganizationRequest'];
export type MembersRequest = Schemas['CustomerOrganizationMembers'];

export function createOrganization(partition: Partition, request: OrganizationRequest, deps: IdSource): OrganizationRecord {
  const violations: Violation[] = [];
  const problem = ownerProblem(request.ownerId, partition);
  if (problem) violations.push({ path: '/body/ownerId', message: problem });
  const existing = problem ? undefined : partition.organizationOwnedBy(request.ownerId);
  if (existing) violations.push({ path: '/body/ownerId', message: RULES.ownerHasOrganization(existing.id) });
  const memberIds = checkMembers(partition, request.ownerId, request.memberIds, '/body/memberIds', violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  const organization = { id: deps.newId(), ownerId: request.ownerId, memberIds };
  partition.putOrganization(organization);
  return organization;
}

/** Adds members (POST) or replaces them all (PUT); undefined when there is no such organization. */
export function changeMembers(partition: Partition, id: string, request: MembersRequest, replace: boolean): OrganizationRecord | undefined {
  const organization = partition.organization(id);
  if (!organization) return undefined;
  const violations: Violation[] = [];
  const requested = checkMembers(partition, organization.ownerId, request.customerIds, '/body/customerIds', violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  const memberIds = replace ? requested : [...organization.memberIds, ...requested.filter((m) => !organization.memberIds.includes(m))];
  const changed = { ...organization, memberIds };
  partition.putOrganization(changed);
  return changed;
}

/** The distinct member ids to store, in request order, without the owner; violations by index. */
function checkMembers(partition: Partition, ownerId: string, ids: string[], path: string, violations: Violation[]): string[] {
  ids.forEach((id, i) => {
    if (id === ownerId) return;
    if (!partition.getCustomer(id)) violations.push({ path: `${path}/${i}`, message: RULES.memberUnknown });
    else if (isAncestorOrSelf(partition, id, ownerId)) violations.push({ path: `${path}/${i}`, message: RULES.parentCycle });
  });
  return [...new Set(ids.filter((id) => id !== ownerId))];
}
