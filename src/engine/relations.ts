// Relations between the Customers area's records that more than one resource keeps: organization
// membership (a customer's parentId and /customer-organizations are the same graph), the billing
// rule over a customer's contacts (checked by customers and by contacts), and the views of contacts
// and organizations that a Customer embeds. Kept here, beside the records they read, so that no
// resource imports another.
import type { components } from '../generated/openapi.js';
import { isObject } from './contract/conform.js';
import type { Clock } from './clock.js';
import { CONTACTS, CUSTOMERS, ORGANIZATIONS, type ContactRecord, type OrganizationRecord } from './records.js';
import type { Partition } from './store/types.js';

type Schemas = components['schemas'];

export const RELATION_MESSAGES = {
  parentUnknown: 'must be the id of an existing customer',
  parentArchived: 'names an archived customer, which cannot be a parent',
  // CustomerStatus: "DRAFT ... cannot be used while it is in DRAFT".
  parentDraft: 'names a DRAFT customer, which cannot be used while it is in DRAFT',
  parentCycle: 'would make the customer its own ancestor',
  // An alias value names one customer of an account: customers' customerAliases and /customer-aliases both hold to it.
  aliasTaken: (alias: string) => `${alias} is already an alias of another customer`,
  // ContactRequestModel.billingPreference: "if any contacts receive billing communications then at
  // least one contact must be designated PRIMARY for billing".
  primaryContactKept: 'would leave contacts receiving billing communications without a PRIMARY one; at least one contact must be PRIMARY',
} as const;

/** Why a customer cannot own an organization (be a parent), if it cannot. */
export function ownerProblem(ownerId: string, partition: Partition): string | undefined {
  const owner = partition.get(CUSTOMERS, ownerId);
  if (!owner) return RELATION_MESSAGES.parentUnknown;
  if (owner.archivedAt) return RELATION_MESSAGES.parentArchived;
  if (owner.status === 'DRAFT') return RELATION_MESSAGES.parentDraft;
  return undefined;
}

export function organizationOwnedBy(partition: Partition, ownerId: string): OrganizationRecord | undefined {
  return partition.find(ORGANIZATIONS, 'owner', ownerId)[0];
}

/**
 * Whether `memberId` is in `organization`. The member index first: a customer in no organization
 * (every new one) skips the scan of the member list, which is linear in a growing organization.
 */
function hasMember(partition: Partition, organization: OrganizationRecord, memberId: string): boolean {
  return partition.count(ORGANIZATIONS, 'member', memberId) > 0 && organization.memberIds.includes(memberId);
}

/** Adds `memberId` to the organization `ownerId` owns, making it if there is none yet. */
export function joinOrganization(partition: Partition, ownerId: string, memberId: string, clock: Clock): OrganizationRecord {
  const owned = organizationOwnedBy(partition, ownerId);
  if (owned && hasMember(partition, owned, memberId)) return owned;
  const organization = owned ?? { id: clock.newId(), ownerId, memberIds: [] };
  const joined = { ...organization, memberIds: [...organization.memberIds, memberId] };
  partition.put(ORGANIZATIONS, joined);
  return joined;
}

export function leaveOrganization(partition: Partition, ownerId: string, memberId: string): void {
  const organization = organizationOwnedBy(partition, ownerId);
  if (organization && hasMember(partition, organization, memberId)) {
    partition.put(ORGANIZATIONS, { ...organization, memberIds: organization.memberIds.filter((id) => id !== memberId) });
  }
}

export function isMemberOf(partition: Partition, ownerId: string, memberId: string): boolean {
  const organization = organizationOwnedBy(partition, ownerId);
  return organization !== undefined && hasMember(partition, organization, memberId);
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
    for (const organization of partition.find(ORGANIZATIONS, 'member', id)) pending.push(organization.ownerId);
  }
  return false;
}

export function presentOrganization(organization: OrganizationRecord, partition: Partition): Schemas['CustomerOrganization'] {
  const named = (id: string) => ({ id, name: partition.get(CUSTOMERS, id)?.legalName ?? '' });
  return { id: organization.id, owner: named(organization.ownerId), members: organization.memberIds.map(named) };
}

/** The organizations a customer is a member of, in the order it joined them, then the one it owns. */
export function organizationsOf(customerId: string, partition: Partition): Schemas['CustomerOrganization'][] {
  const owned = organizationOwnedBy(partition, customerId);
  return [...partition.find(ORGANIZATIONS, 'member', customerId), ...(owned ? [owned] : [])].map((o) => presentOrganization(o, partition));
}

/** The billing rule over a set of (non-archived) contacts. */
export function hasPrimaryWhenBilled(contacts: readonly Pick<ContactRecord, 'billingPreference'>[]): boolean {
  const billed = contacts.some((c) => c.billingPreference !== 'NONE');
  return !billed || contacts.some((c) => c.billingPreference === 'PRIMARY');
}

/** The emails a customer is billed at: its active contacts that receive billing (PRIMARY and STANDARD). */
export function billingEmailsOf(partition: Partition, customerId: string): string[] {
  return contactsOf(partition, customerId)
    .filter((c) => c.archivedAt === undefined && c.billingPreference !== 'NONE')
    .map((c) => c.email);
}

/** A customer's contacts in the order they were added, archived ones included. */
export function contactsOf(partition: Partition, customerId: string): ContactRecord[] {
  return partition.find(CONTACTS, 'customer', customerId);
}

/** A stored contact as the document's Contact. */
export function presentContact({ customerId: _customerId, ...contact }: ContactRecord): Schemas['Contact'] {
  return contact;
}

/** --record: a CustomerOrganization an upstream answered (alone or inside a Customer), kept as the organization. */
export function recordOrganization(partition: Partition, organization: unknown): void {
  if (!isObject(organization) || typeof organization.id !== 'string' || !isObject(organization.owner)) return;
  const ownerId = organization.owner.id;
  if (typeof ownerId !== 'string') return;
  const members = Array.isArray(organization.members) ? organization.members : [];
  const memberIds = members.map((m) => (isObject(m) ? m.id : undefined)).filter((id): id is string => typeof id === 'string');
  partition.put(ORGANIZATIONS, { id: organization.id, ownerId, memberIds });
}
