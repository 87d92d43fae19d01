// The request journal: what clients sent and what they got, so a test can assert on its client's
// calls. A ring buffer: the oldest entry goes when it is full, and a body is kept as the JSON text
// it came as (at most MAX_JOURNAL_BODY bytes), parsed only when read: parsed, 30 KB of `{}` items
// held 1 MB of objects, and a full journal of them hundreds of MB. So memory stays bounded by
// capacity x MAX_JOURNAL_BODY.
import type { AfterResponse } from '../../http/after-response.js';
import { withoutApi } from '../../engine/contract/base-paths.js';
import type { components } from '../../generated/mock.js';

export type JournalEntry = components['schemas']['JournalEntry'];

export interface JournalFilter {
  path?: string;
  method?: string;
  status?: number;
  partition?: string;
  limit?: number;
}

/** Bodies larger than this are replaced by a note, so one huge request cannot fill memory. */
export const MAX_JOURNAL_BODY = 64 * 1024;

/**
 * An entry as recorded: its time as epoch milliseconds (formatted when read, not on every request),
 * the body as text (or a note saying why it was not kept).
 */
type Kept = Omit<JournalEntry, 'body' | 'time'> & { at: number; bodyText?: string; bodyNote?: string };

/** What journalEntry hands the journal: an entry with its body as received. */
export type Recorded = Omit<Kept, 'id'>;

/** The fields only some entries have (a body, an error's violations, the proxy's divergences). */
type Extra = Pick<Kept, 'bodyText' | 'bodyNote' | 'errors' | 'divergences'>;

/**
 * Kept in columns, one array per field, written in place: no object per request. An entry outlives
 * a thousand requests, so an object per entry outlived the young generation every time (about 300
 * bytes a GET, its numbers boxed and its fields spilled) and died in the old one, and under a read
 * load that garbage brought mark-compacts of the whole store. Only the strings a request already
 * made (its id, path and client id) and the rare extras are still kept as they are.
 */
export class Journal {
  private readonly ids: Float64Array;
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  private readonly statuses: Uint16Array;
  private readonly requestIds: (string | undefined)[];
  private readonly methods: string[];
  private readonly paths: string[];
  private readonly partitions: (string | undefined)[];
  private readonly versions: (string | undefined)[];
  private readonly extras: (Extra | undefined)[];
  private next = 0; // slot the next entry goes into
  private count = 0;
  private lastId = 0;

  constructor(readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.requestIds = new Array<string | undefined>(capacity).fill(undefined);
    this.methods = new Array<string>(capacity).fill('');
    this.paths = new Array<string>(capacity).fill('');
    this.partitions = new Array<string | undefined>(capacity).fill(undefined);
    this.versions = new Array<string | undefined>(capacity).fill(undefined);
    this.extras = new Array<Extra | undefined>(capacity).fill(undefined);
  }

  record(entry: Recorded): void {
    if (this.capacity === 0) return;
    this.lastId += 1;
    this.put(this.next, this.lastId, entry);
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const found: JournalEntry[] = [];
    const method = filter.method?.toUpperCase();
    for (let i = 1; i <= this.count && found.length < (filter.limit ?? Infinity); i += 1) {
      const slot = this.slot(i);
      if (filter.partition !== undefined && this.partitions[slot] !== filter.partition) continue;
      if (filter.status !== undefined && this.statuses[slot] !== filter.status) continue;
      if (method !== undefined && this.methods[slot] !== method) continue;
      if (filter.path !== undefined && !withoutApi(this.paths[slot]!).startsWith(filter.path)) continue;
      found.push(readable(this.get(slot)));
    }
    return found;
  }

  get size(): number {
    return this.count;
  }

  /** Removes every entry, or only one partition's. */
  clear(partition?: string): void {
    const kept: Kept[] = [];
    if (partition !== undefined)
      for (let i = this.count; i >= 1; i -= 1) {
        const slot = this.slot(i);
        if (this.partitions[slot] !== partition) kept.push(this.get(slot));
      }
    this.requestIds.fill(undefined);
    this.paths.fill('');
    this.partitions.fill(undefined);
    this.versions.fill(undefined);
    this.extras.fill(undefined);
    this.next = 0;
    this.count = 0;
    for (const { id, ...entry } of kept) {
      this.put(this.next, id, entry);
      this.next = (this.next + 1) % this.capacity;
      this.count += 1;
    }
  }

  /** The slot of the i-th newest entry (1 is the newest). */
  private slot(i: number): number {
    return (this.next - i + this.capacity) % this.capacity;
  }

  private put(slot: number, id: number, entry: Recorded): void {
    this.ids[slot] = id;
    this.at[slot] = entry.at;
    this.ms[slot] = entry.ms;
    this.statuses[slot] = entry.status;
    this.requestIds[slot] = entry.requestId;
    this.methods[slot] = entry.method;
    this.paths[slot] = entry.path;
    this.partitions[slot] = entry.partition;
    this.versions[slot] = entry.version;
    const { bodyText, bodyNote, errors, divergences } = entry;
    this.extras[slot] =
      bodyText === undefined && bodyNote === undefined && errors === undefined && divergences === undefined
        ? undefined
        : {
            ...(bodyText !== undefined && { bodyText }),
            ...(bodyNote !== undefined && { bodyNote }),
            ...(errors !== undefined && { errors }),
            ...(divergences !== undefined && { divergences }),
          };
  }

  /** An entry back as recorded, its fields in the order the admin API shows them. */
  private get(slot: number): Kept {
    const requestId = this.requestIds[slot];
    const partition = this.partitions[slot];
    const version = this.versions[slot];
    return {
      id: this.ids[slot]!,
      at: this.at[slot]!,
      ...(requestId !== undefined && { requestId }),
      method: this.methods[slot]!,
      path: this.paths[slot]!,
      ...(partition !== undefined && { partition }),
      ...(version !== undefined && { version }),
      status: this.statuses[slot]!,
      ms: this.ms[slot]!,
      ...this.extras[slot],
    };
  }
}

/** An entry as the admin API shows it: its time in ISO 8601, the body parsed back from its text. */
function readable({ id, at, bodyText, bodyNote, ...entry }: Kept): JournalEntry {
  const shown = { id, time: new Date(at).toISOString(), ...entry };
  if (bodyNote !== undefined) return { ...shown, body: { note: bodyNote } };
  return bodyText === undefined ? shown : { ...shown, body: JSON.parse(bodyText) as unknown };
}

/** The body as the journal keeps it: its text as received when the parser kept it, else serialised. */
export function journalBody(body: unknown, text: string | undefined): Pick<Kept, 'bodyText' | 'bodyNote'> {
  if (body === undefined) return {};
  // The text as received parsed to `body` (a BOM aside); empty text is the {} an empty body became.
  const json = (text?.charCodeAt(0) === 0xfeff ? text.slice(1) : text) || (JSON.stringify(body) ?? 'null');
  const size = Buffer.byteLength(json);
  return size > MAX_JOURNAL_BODY ? { bodyNote: `body of ${size} bytes not kept (over ${MAX_JOURNAL_BODY})` } : { bodyText: json };
}

/**
 * Records each Customers API request once its response is sent. Admin calls are not recorded (a
 * test reading the journal should see its client's calls, not its own assertions).
 */
export function journalEntry(journal: Journal, skip: (path: string, headers: Record<string, unknown>) => boolean): AfterResponse {
  return {
    wants: (req) => journal.capacity > 0 && !skip(req.path, req.headers),
    sent(req, res, ms) {
      const { context } = res.locals;
      let body: Pick<Kept, 'bodyText' | 'bodyNote'>;
      try {
        body = journalBody(req.body, context.bodyText);
      } catch (err) {
        body = { bodyNote: `body not kept (${(err as Error).message})` };
      }
      const entry: Recorded = {
        at: performance.timeOrigin + context.arrived,
        requestId: context.requestId,
        method: req.method,
        path: req.originalUrl,
        // Undefined without valid credentials: left out of the admin API's JSON.
        partition: context.clientId,
        version: String(res.getHeader('sequence-version')),
        status: res.statusCode,
        ms,
      };
      if (body.bodyText !== undefined) entry.bodyText = body.bodyText;
      if (body.bodyNote !== undefined) entry.bodyNote = body.bodyNote;
      if (context.errors !== undefined && context.errors.length > 0) entry.errors = context.errors;
      if (context.divergences !== undefined) entry.divergences = context.divergences;
      journal.record(entry);
    },
  };
}
