// The request journal: what clients sent and what they got, so a test can assert on its client's
// calls. A ring buffer: the oldest entry goes when it is full, and a body is kept as the JSON text
// it came as (at most MAX_JOURNAL_BODY bytes), parsed only when read: parsed, 30 KB of `{}` items
// held 1 MB of objects, and a full journal of them hundreds of MB. So memory stays bounded by
// capacity x MAX_JOURNAL_BODY.
import type { RequestHandler } from 'express';
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

/** An entry as kept: the body as text (or a note saying why it was not kept). */
type Kept = Omit<JournalEntry, 'body'> & { bodyText?: string; bodyNote?: string };

/** What recordRequests hands the journal: an entry with its body as received. */
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

/** An entry as the admin API shows it: the body parsed back from its text. */
function readable({ bodyText, bodyNote, ...entry }: Kept): JournalEntry {
  if (bodyNote !== undefined) return { ...entry, body: { note: bodyNote } };
  return bodyText === undefined ? entry : { ...entry, body: JSON.parse(bodyText) as unknown };
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
export function recordRequests(journal: Journal, skip: (path: string, headers: Record<string, unknown>) => boolean): RequestHandler {
  return (req, res, next) => {
    if (journal.capacity === 0 || skip(req.path, req.headers)) return next();
    const started = process.hrtime.bigint();
    const time = new Date().toISOString();
    res.once('finish', () => {
      const { context } = res.locals;
      let body: Pick<Kept, 'bodyText' | 'bodyNote'>;
      try {
        body = journalBody(req.body, context.bodyText);
      } catch (err) {
        // Past the response, nothing may throw: an uncaught error here would stop the process.
        body = { bodyNote: `body not kept (${(err as Error).message})` };
      }
      journal.record({
        time,
        requestId: context.requestId,
        method: req.method,
        path: req.originalUrl,
        ...(context.clientId !== undefined && { partition: context.clientId }),
        version: String(res.getHeader('sequence-version')),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...body,
        ...(context.errors !== undefined && context.errors.length > 0 && { errors: context.errors }),
        ...(context.divergences !== undefined && { divergences: context.divergences }),
      });
    });
    next();
  };
}
