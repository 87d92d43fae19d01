// The data file: a plain lowdb JSON document a user can read, edit while the server is stopped, and
// ship as starting data; plus the change lines of its journal, replayed over it. Both are plain data
// here, shared by start-up (durable.ts) and background compaction (compact-worker.ts). Files and
// lines of older formats are read through upgrade.ts and written back in this one.
import { Ajv } from 'ajv';
import { DataFileError } from './data-file-error.js';
import type { PartitionSnapshot, StoredRecord } from './types.js';
import { isLegacyFile, isLegacyPartition, legacyProblem, upgradeFile, upgradeLine, upgradePartition, type LegacyLine } from './upgrade.js';

/**
 * Bumped when the file's shape changes; a file from a newer version is refused, never rewritten.
 * 4: one storage model: every partition is collections of records (customers, contacts, aliases,
 * payment settings and organizations included). Formats 1 to 3 kept customers (with their
 * contacts, aliases and payment settings inside) and organizations apart; they are upgraded on
 * load (upgrade.ts) and written back as format 4 at the next compaction.
 */
export const FORMAT_VERSION = 4;

export interface SnapshotFile {
  format: 'sequence-mock';
  version: number;
  /** Client id -> that partition's collections. */
  partitions: Record<string, PartitionSnapshot>;
}

/** One change, as a journal line. Replaying one twice gives the same state (upserts). */
export type ChangeLine =
  | { t: 'rec'; p: string; k: string; r: StoredRecord }
  | { t: 'del'; p: string; k: string; id: string }
  | { t: 'reset'; p: string | null; d: PartitionSnapshot | null }
  /** A partition dropped for room (MAX_PARTITIONS), least recently used first. */
  | { t: 'drop'; p: string };

// No prototype: a client id is any string, `__proto__` included, and must stay an own key.
export const emptySnapshot = (): SnapshotFile => ({
  format: 'sequence-mock',
  version: FORMAT_VERSION,
  partitions: Object.create(null) as Record<string, PartitionSnapshot>,
});

// What the file must look like for the fake to serve it; checked on every load so that a bad hand
// edit is refused with the path of the bad field instead of failing later.
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
        required: ['collections'],
        properties: {
          collections: {
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

/** Checks a parsed data file, upgrading an older format; throws DataFileError saying what is wrong and where. */
export function checkSnapshot(data: unknown): SnapshotFile {
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new DataFileError(`it is format version ${version}, from a newer sequence-mock (this one reads up to ${FORMAT_VERSION})`);
  }
  if (isLegacyFile(data)) {
    const problem = legacyProblem(data);
    if (problem) throw new DataFileError(`it is not a sequence-mock data file: ${problem}`);
    return upgradeFile(data);
  }
  validateFile ??= new Ajv({ allErrors: false }).compile(FILE_SCHEMA);
  if (!validateFile(data)) {
    const [error] = validateFile.errors ?? [];
    throw new DataFileError(`it is not a sequence-mock data file: ${error?.instancePath || '/'} ${error?.message ?? ''}`.trim());
  }
  return data as SnapshotFile;
}

/** What a change line must look like to be replayed; a line that is not is refused, naming it. */
export function lineProblem(line: unknown): string | undefined {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return 'is not an object';
  const l = line as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string';
  const id = (v: unknown) => typeof v === 'string' && v !== '';
  const record = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && id((v as { id?: unknown }).id);
  switch (l.t) {
    case 'rec':
      return text(l.p) && text(l.k) && record(l.r) ? undefined : 'is a "rec" line without p, k, or a record with an id';
    case 'del':
      return text(l.p) && text(l.k) && id(l.id) ? undefined : 'is a "del" line without p, k or id';
    case 'drop':
      return text(l.p) ? undefined : 'is a "drop" line without p';
    case 'reset': {
      if (!(l.p === null || text(l.p))) return 'is a "reset" line without p';
      if (l.d === null) return undefined;
      if (typeof l.d !== 'object' || Array.isArray(l.d)) return 'is a "reset" line whose d is not a partition';
      const data = l.d as PartitionSnapshot;
      if (isLegacyPartition(data)) return undefined;
      const collections: unknown = data.collections;
      const ok =
        collections !== null &&
        typeof collections === 'object' &&
        Object.values(collections).every((records) => Array.isArray(records) && records.every(record));
      return ok ? undefined : 'is a "reset" line whose d is not a partition of records with ids';
    }
    case 'put':
    case 'org':
      return text(l.p) ? undefined : `is a "${l.t}" line without p`;
    default:
      return `has an unknown type ${JSON.stringify(l.t)}`;
  }
}

type Collections = Map<string, Map<string, StoredRecord>>;

/** Snapshot + journal, as maps for cheap upserts while replaying. */
export class ReplayState {
  private readonly partitions = new Map<string, Collections>();

  /** @param initial what a partition first seen in the journal starts with (the starting data). */
  constructor(
    snapshot: SnapshotFile,
    private readonly initial: PartitionSnapshot | undefined,
  ) {
    for (const [id, data] of Object.entries(snapshot.partitions)) this.set(id, data);
  }

  private set(id: string, data: PartitionSnapshot | undefined): void {
    // No copies: replay replaces records whole and never changes one in place.
    const collections: Collections = new Map();
    for (const [name, records] of Object.entries(data?.collections ?? {})) collections.set(name, new Map(records.map((r) => [r.id, r])));
    this.partitions.set(id, collections);
  }

  private partition(id: string): Collections {
    if (!this.partitions.has(id)) this.set(id, this.initial);
    return this.partitions.get(id)!;
  }

  apply(line: ChangeLine | LegacyLine): void {
    if (line.t === 'put' || line.t === 'org') {
      // A line of format 3 or older: the same change as format 4 lines, reading the state it applies to.
      const collections = this.partition(line.p);
      for (const upgraded of upgradeLine(line, (name) => [...(collections.get(name)?.values() ?? [])])) this.apply(upgraded);
      return;
    }
    switch (line.t) {
      case 'rec': {
        const collections = this.partition(line.p);
        if (!collections.has(line.k)) collections.set(line.k, new Map());
        collections.get(line.k)!.set(line.r.id, line.r);
        break;
      }
      case 'del':
        this.partition(line.p).get(line.k)?.delete(line.id);
        break;
      case 'drop':
        this.partitions.delete(line.p);
        break;
      case 'reset': {
        const data = line.d === null ? undefined : isLegacyPartition(line.d) ? upgradePartition(line.d) : line.d;
        for (const id of line.p === null ? [...this.partitions.keys()] : [line.p]) this.set(id, data);
        break;
      }
    }
  }

  toFile(): SnapshotFile {
    const file = emptySnapshot();
    for (const [id, collections] of this.partitions) {
      const kept = [...collections].filter(([, r]) => r.size > 0).map(([name, r]): [string, StoredRecord[]] => [name, [...r.values()]]);
      file.partitions[id] = { collections: Object.fromEntries(kept) };
    }
    return file;
  }
}
