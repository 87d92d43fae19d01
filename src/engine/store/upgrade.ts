// Data files and journal lines of formats 1 to 3, read into format 4. Those formats kept a customer
// as one record with its aliases, contacts and payment settings inside, organizations apart (format
// 1 without memberIds: they were the customers' parentId), and every other resource under `records`.
// Format 4 keeps each as a collection (src/engine/records.ts); nothing else changed.
import { Ajv } from 'ajv';
import {
  ALIASES,
  CONTACTS,
  CUSTOMERS,
  ORGANIZATIONS,
  PAYMENT_SETTINGS,
  type AliasRecord,
  type ContactRecord,
  type CustomerRecord,
  type OrganizationRecord,
  type PaymentSettingsRecord,
} from '../records.js';
import type { PartitionSnapshot, StoredRecord } from './types.js';

/** A customer as formats 1 to 3 stored it. */
export type LegacyCustomer = CustomerRecord & {
  aliases: Omit<AliasRecord, 'customerId'>[];
  contacts: Omit<ContactRecord, 'customerId'>[];
  paymentSettings?: Omit<PaymentSettingsRecord, 'customerId'>;
};
type LegacyOrganization = Omit<OrganizationRecord, 'memberIds'> & { memberIds?: string[] };
export interface LegacyPartition {
  customers: LegacyCustomer[];
  organizations: LegacyOrganization[];
  records?: Record<string, StoredRecord[]>;
}
export interface LegacyFile {
  partitions: Record<string, LegacyPartition>;
}
/** The journal lines formats 1 to 3 wrote that format 4 does not: a whole customer, an organization, a reset to old data. */
export type LegacyLine =
  | { t: 'put'; p: string; c: LegacyCustomer }
  | { t: 'org'; p: string; o: LegacyOrganization }
  | { t: 'reset'; p: string | null; d: LegacyPartition | null };

/** A reset line of format 3 or older carries a partition in that format. */
export const isLegacyPartition = (data: PartitionSnapshot | LegacyPartition): data is LegacyPartition => 'customers' in data;

/** A change in format 4 terms. */
type Change = { t: 'rec'; p: string; k: string; r: StoredRecord } | { t: 'del'; p: string; k: string; id: string };

// Formats 1 to 3 as they were checked on load, so an old file with a bad hand edit is refused with
// the same path as before.
const LEGACY_CUSTOMER = {
  type: 'object',
  required: ['id', 'createdAt', 'updatedAt', 'legalName', 'address', 'taxStatus', 'status', 'aliases', 'contacts', 'integrationIds'],
  properties: {
    id: { type: 'string', minLength: 1 },
    createdAt: { type: 'string', minLength: 1 },
    updatedAt: { type: 'string' },
    legalName: { type: 'string' },
    address: { type: 'object', required: ['line1', 'town', 'postcode', 'country'] },
    customProperties: { type: 'object', additionalProperties: { type: 'string' } },
    paymentSettings: { type: 'object', required: ['id', 'paymentProvider'] },
    taxStatus: { enum: ['TAXED', 'TAX_EXEMPT', 'REVERSE_CHARGED'] },
    status: { enum: ['DRAFT', 'ACTIVE'] },
    parentId: { type: 'string' },
    archivedAt: { type: 'string' },
    aliases: { type: 'array', items: { type: 'object', required: ['id', 'value', 'createdAt'] } },
    contacts: {
      type: 'array',
      items: { type: 'object', required: ['id', 'name', 'email', 'billingPreference', 'createdAt', 'updatedAt'] },
    },
    integrationIds: { type: 'array', items: { type: 'object', required: ['service', 'id', 'isPending'] } },
  },
};
const LEGACY_FILE = {
  type: 'object',
  required: ['format', 'version', 'partitions'],
  properties: {
    partitions: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['customers', 'organizations'],
        properties: {
          customers: { type: 'array', items: LEGACY_CUSTOMER },
          organizations: {
            type: 'array',
            items: { type: 'object', required: ['id', 'ownerId'], properties: { memberIds: { type: 'array', items: { type: 'string' } } } },
          },
          records: {
            type: 'object',
            additionalProperties: {
              type: 'array',
              items: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
            },
          },
        },
      },
    },
  },
};
let validateLegacy: ReturnType<Ajv['compile']> | undefined;

/** Formats 1 to 3 carried a version below 4; a file of no version at all is checked as format 4. */
export function isLegacyFile(data: unknown): data is LegacyFile {
  const version = (data as { version?: unknown } | null)?.version;
  return typeof version === 'number' && version < 4;
}

/** What is wrong with an old file, as its path and problem; undefined when it can be upgraded. */
export function legacyProblem(data: unknown): string | undefined {
  validateLegacy ??= new Ajv({ allErrors: false }).compile(LEGACY_FILE);
  if (validateLegacy(data)) return undefined;
  const [error] = validateLegacy.errors ?? [];
  return `${error?.instancePath || '/'} ${error?.message ?? ''}`.trim();
}

/** A customer's own record and the records format 4 keeps apart, each naming the customer. */
function split(customer: LegacyCustomer): { customer: CustomerRecord; records: [string, StoredRecord][] } {
  const { aliases, contacts, paymentSettings, ...own } = customer;
  const customerId = customer.id;
  return {
    customer: own,
    records: [
      ...contacts.map((c): [string, StoredRecord] => [CONTACTS.name, { ...c, customerId }]),
      ...aliases.map((a): [string, StoredRecord] => [ALIASES.name, { ...a, customerId }]),
      ...(paymentSettings ? [[PAYMENT_SETTINGS.name, { ...paymentSettings, customerId }] as [string, StoredRecord]] : []),
    ],
  };
}

/** Format 1 kept membership as the members' parentId: members in the order the file lists them. */
const withMembers = (o: LegacyOrganization, customers: readonly CustomerRecord[]): OrganizationRecord => ({
  id: o.id,
  ownerId: o.ownerId,
  memberIds: o.memberIds ?? customers.filter((c) => c.parentId === o.ownerId).map((c) => c.id),
});

export function upgradePartition(old: LegacyPartition): PartitionSnapshot {
  const collections: Record<string, StoredRecord[]> = {};
  const add = (name: string, record: StoredRecord) => (collections[name] ??= []).push(record);
  for (const customer of old.customers) {
    const { customer: own, records } = split(customer);
    add(CUSTOMERS.name, own);
    for (const [name, record] of records) add(name, record);
  }
  for (const organization of old.organizations) add(ORGANIZATIONS.name, withMembers(organization, old.customers));
  for (const [name, records] of Object.entries(old.records ?? {})) for (const record of records) add(name, record);
  return { collections };
}

export function upgradeFile(old: LegacyFile): { format: 'sequence-mock'; version: 4; partitions: Record<string, PartitionSnapshot> } {
  const partitions = Object.fromEntries(Object.entries(old.partitions).map(([id, data]) => [id, upgradePartition(data)]));
  return { format: 'sequence-mock', version: 4, partitions };
}

/**
 * An old journal line as format 4 changes. A whole customer replaced its aliases, contacts and
 * payment settings, so the ones of that customer it no longer has are deleted: `current` reads the
 * records a collection holds at that point of the replay.
 */
export function upgradeLine(line: Exclude<LegacyLine, { t: 'reset' }>, current: (collection: string) => StoredRecord[]): Change[] {
  if (line.t === 'org') {
    const customers = current(CUSTOMERS.name).filter((c): c is CustomerRecord & StoredRecord => typeof c.legalName === 'string');
    return [{ t: 'rec', p: line.p, k: ORGANIZATIONS.name, r: withMembers(line.o, customers) }];
  }
  const { customer, records } = split(line.c);
  const kept = new Set(records.map(([, r]) => r.id));
  const stale = [CONTACTS.name, ALIASES.name, PAYMENT_SETTINGS.name].flatMap((name) =>
    current(name)
      .filter((r) => r.customerId === customer.id && !kept.has(r.id))
      .map((r): Change => ({ t: 'del', p: line.p, k: name, id: r.id })),
  );
  return [
    { t: 'rec', p: line.p, k: CUSTOMERS.name, r: customer },
    ...stale,
    ...records.map(([k, r]): Change => ({ t: 'rec', p: line.p, k, r })),
  ];
}
