// The request journal: what clients sent and what they got, so a test can assert on its client's
// calls. A ring buffer: the oldest entry goes when it is full, so memory stays bounded.
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

export class Journal {
  private readonly entries: (JournalEntry | undefined)[];
  private next = 0; // slot the next entry goes into
  private count = 0;
  private lastId = 0;

  constructor(readonly capacity: number) {
    this.entries = new Array<JournalEntry | undefined>(capacity);
  }

  record(entry: Omit<JournalEntry, 'id'>): void {
    if (this.capacity === 0) return;
    this.lastId += 1;
    this.entries[this.next] = { id: this.lastId, ...entry };
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const found: JournalEntry[] = [];
    for (let i = 1; i <= this.count && found.length < (filter.limit ?? Infinity); i += 1) {
      const entry = this.entries[(this.next - i + this.capacity) % this.capacity]!;
      if (filter.partition !== undefined && entry.partition !== filter.partition) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) continue;
      if (filter.path !== undefined && !withoutApi(entry.path).startsWith(filter.path)) continue;
      found.push(entry);
    }
    return found;
  }

  get size(): number {
    return this.count;
  }

  /** Removes every entry, or only one partition's. */
  clear(partition?: string): void {
    const kept =
      partition === undefined
        ? []
        : this.list()
            .filter((e) => e.partition !== partition)
            .reverse();
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

/** The body as the journal keeps it. */
export function journalBody(body: unknown, contentLength?: string): unknown {
  if (body === undefined) return undefined;
  // The parsed body came from contentLength bytes; stringifying it again only to measure costs ~1% a request.
  const size =
    contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : Buffer.byteLength(JSON.stringify(body) ?? '');
  return size > MAX_JOURNAL_BODY ? { note: `body of ${size} bytes not kept (over ${MAX_JOURNAL_BODY})` } : body;
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
      let body: unknown;
      try {
        body = journalBody(req.body, req.headers['content-length']);
      } catch (err) {
        // Past the response, nothing may throw: an uncaught error here would stop the process.
        body = { note: `body not kept (${(err as Error).message})` };
      }
      journal.record({
        time,
        requestId: context.requestId,
        method: req.method,
        path: req.originalUrl,
        ...(context.clientId !== undefined && { partition: context.clientId }),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...(body !== undefined && { body }),
        ...(context.errors !== undefined && context.errors.length > 0 && { errors: context.errors }),
        ...(context.divergences !== undefined && { divergences: context.divergences }),
      });
    });
    next();
  };
}
