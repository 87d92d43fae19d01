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
 * An entry as kept: its time as epoch milliseconds (formatted when read, not on every request), the
 * body as text (or a note saying why it was not kept).
 */
type Kept = Omit<JournalEntry, 'body' | 'time'> & { at: number; bodyText?: string; bodyNote?: string };

/** What journalEntry hands the journal: an entry with its body as received. */
export type Recorded = Omit<Kept, 'id'>;

export class Journal {
  private readonly entries: (Kept | undefined)[];
  private next = 0; // slot the next entry goes into
  private count = 0;
  private lastId = 0;

  constructor(readonly capacity: number) {
    this.entries = new Array<Kept | undefined>(capacity);
  }

  record(entry: Recorded): void {
    if (this.capacity === 0) return;
    this.lastId += 1;
    this.entries[this.next] = { id: this.lastId, ...entry };
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const found: Kept[] = [];
    for (let i = 1; i <= this.count && found.length < (filter.limit ?? Infinity); i += 1) {
      const entry = this.entries[(this.next - i + this.capacity) % this.capacity]!;
      if (filter.partition !== undefined && entry.partition !== filter.partition) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) continue;
      if (filter.path !== undefined && !withoutApi(entry.path).startsWith(filter.path)) continue;
      found.push(entry);
    }
    return found.map(readable);
  }

  get size(): number {
    return this.count;
  }

  /** Removes every entry, or only one partition's. */
  clear(partition?: string): void {
    const kept: Kept[] = [];
    if (partition !== undefined)
      for (let i = this.count; i >= 1; i -= 1) {
        const entry = this.entries[(this.next - i + this.capacity) % this.capacity]!;
        if (entry.partition !== partition) kept.push(entry);
      }
    this.entries.fill(undefined);
    this.next = 0;
    this.count = 0;
    for (const entry of kept) {
      this.entries[this.next] = entry;
      this.next = (this.next + 1) % this.capacity;
      this.count += 1;
    }
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
