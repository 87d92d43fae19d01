// The data file: a plain lowdb JSON document a user can read, edit while the server is stopped, and
// ship as seed data; plus the journal entries that are replayed over it. Both are plain data here,
// shared by start-up (durable.ts) and background compaction (compact-worker.ts).
import { Ajv } from 'ajv';
import { DataFileError } from './data-file-error.js';
import type { CustomerRecord, OrganizationRecord, PartitionSnapshot, StoredRecord } from './types.js';

/**
 * Bumped when the file's shape changes; a file from a newer version is refused, never rewritten.
 * 2: organizations list their memberIds (format 1 derived them from the customers' parentId, which
 * the memory store still does for a format 1 file or journal line, so old files load unchanged).
 * 3: partitions may hold `records`, the resources of the rest of the API by collection (a file of
 * format 1 or 2 has none, and loads unchanged).
 */
export const FORMAT_VERSION = 3;

export interface SnapshotFile {
  format: 'sequence-mock';
  version: number;
  /** Client id -> that partition's customers and organizations. */
  partitions: Record<string, PartitionSnapshot>;
}

/** One mutation, as a journal line. Replaying one twice gives the same state (upserts). */
export type JournalEntry =
  | { t: 'put'; p: string; c: CustomerRecord }
  | { t: 'org'; p: string; o: OrganizationRecord }
  | { t: 'rec'; p: string; k: string; r: StoredRecord }
  | { t: 'del'; p: string; k: string; id: string }
  | { t: 'reset'; p: string | null; d: PartitionSnapshot | null };

export const emptySnapshot = (): SnapshotFile => ({ format: 'sequence-mock', version: FORMAT_VERSION, partitions: {} });

// What a stored record must look like for the fake to serve it; checked on every load so a bad
// hand edit is refused with the path of the bad field instead of failing later.
const RECORD = {
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
const FILE_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'partitions'],
  properties: {
    format: { const: 'sequence-mock' },
    version: { type: 'integer', minimum: 1 },
    partitions: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['customers', 'organizations'],
        properties: {
          customers: { type: 'array', items: RECORD },
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
let validateFile: ReturnType<Ajv['compile']> | undefined;

/** Checks a parsed data file; throws DataFileError saying what is wrong and where. */
export function checkSnapshot(data: unknown): SnapshotFile {
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new DataFileError(`it is format version ${version}, from a newer sequence-mock (this one reads up to ${FORMAT_VERSION})`);
  }
  validateFile ??= new Ajv({ allErrors: false }).compile(FILE_SCHEMA);
  if (!validateFile(data)) {
    const [error] = validateFile.errors ?? [];
    throw new DataFileError(`it is not a sequence-mock data file: ${error?.instancePath || '/'} ${error?.message ?? ''}`.trim());
  }
  return data as SnapshotFile;
}

/** Snapshot + journal, as maps for cheap upserts while replaying. */
export class ReplayState {
  private readonly partitions = new Map<
    string,
    {
      customers: Map<string, CustomerRecord>;
      organizations: Map<string, OrganizationRecord>;
      records: Map<string, Map<string, StoredRecord>>;
    }
  >();

  /** @param initial what a partition first seen in the journal starts with (fixtures, seed). */
  constructor(
    snapshot: SnapshotFile,
    private readonly initial: PartitionSnapshot | undefined,
  ) {
    for (const [id, data] of Object.entries(snapshot.partitions)) this.set(id, data);
  }

  private set(id: string, data: PartitionSnapshot | undefined): void {
    this.partitions.set(id, {
      // No copies: replay replaces records whole and never changes one in place.
      customers: new Map((data?.customers ?? []).map((c) => [c.id, c])),
      organizations: new Map((data?.organizations ?? []).map((o) => [o.ownerId, o])),
      records: new Map(Object.entries(data?.records ?? {}).map(([name, records]) => [name, new Map(records.map((r) => [r.id, r]))])),
    });
  }

  private partition(id: string) {
    if (!this.partitions.has(id)) this.set(id, this.initial);
    return this.partitions.get(id)!;
  }

  apply(entry: JournalEntry): void {
    switch (entry.t) {
      case 'put':
        this.partition(entry.p).customers.set(entry.c.id, entry.c);
        break;
      case 'org':
        this.partition(entry.p).organizations.set(entry.o.ownerId, entry.o);
        break;
      case 'rec': {
        const records = this.partition(entry.p).records;
        if (!records.has(entry.k)) records.set(entry.k, new Map());
        records.get(entry.k)!.set(entry.r.id, entry.r);
        break;
      }
      case 'del':
        this.partition(entry.p).records.get(entry.k)?.delete(entry.id);
        break;
      case 'reset':
        for (const id of entry.p === null ? [...this.partitions.keys()] : [entry.p]) this.set(id, entry.d ?? undefined);
        break;
    }
  }

  toFile(): SnapshotFile {
    const file = emptySnapshot();
    for (const [id, { customers, organizations, records }] of this.partitions) {
      const kept = [...records].filter(([, r]) => r.size > 0).map(([name, r]): [string, StoredRecord[]] => [name, [...r.values()]]);
      file.partitions[id] = {
        customers: [...customers.values()],
        organizations: [...organizations.values()],
        ...(kept.length > 0 && { records: Object.fromEntries(kept) }),
      };
    }
    return file;
  }
}
