// Organization membership over a partition, shared by customers (parentId) and /customer-organizations.
// One organization per owner; a member may belong to several; the owner is never its own member.
import type { OrganizationRecord, Partition } from '../store/types.js';

export interface IdSource {
  newId(): string;
}

/** Adds `memberId` to the organization `ownerId` owns, making it if there is none yet. */
export function joinOrganization(partition: Partition, ownerId: string, memberId: string, deps: IdSource): OrganizationRecord {
  const organization = partition.organizationOwnedBy(ownerId) ?? { id: deps.newId(), ownerId, memberIds: [] };
  if (organization.memberIds.includes(memberId) && partition.organizationOwnedBy(ownerId)) return organization;
  const joined = { ...organization, memberIds: [...organization.memberIds.filter((id) => id !== memberId), memberId] };
  partition.putOrganization(joined);
  return joined;
}

export function leaveOrganization(partition: Partition, ownerId: string, memberId: string): void {
  const organization = partition.organizationOwnedBy(ownerId);
  if (organization?.memberIds.includes(memberId)) {
    partition.putOrganization({ ...organization, memberIds: organization.memberIds.filter((id) => id !== memberId) });
  }
}

export function isMemberOf(partition: Partition, ownerId: string, memberId: string): boolean {
  return partition.organizationOwnedBy(ownerId)?.memberIds.includes(memberId) ?? false;
}

/**
 * Whether `customerId` is `ownerId` or above it: an owner of an organization `ownerId` belongs to,
 * or of one that owner belongs to, and so on. Making such a customer a member of `ownerId`'s
 * organization would make it its own ancestor.
 */
export function isAncestorOrSelf(partition: Partition, customerId: string, ownerId: string): boolean {
  const seen = new Set<string>();
  const pending = [ownerId];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === customerId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const organization of partition.organizationsWithMember(id)) pending.push(organization.ownerId);
  }
  return false;
}
