// What the validating proxy found wrong, on either side: the caller's request against the published
// document, or the upstream's answer. Kept as counts per (operation, side, path, message), so a long
// session sums up in a few rows instead of growing without bound.
import type { components } from '../../generated/mock.js';
import type { Divergence } from '../../http/context.js';

export type { Divergence };

/** A row of GET /__admin/divergences (spec/mock.yaml's Divergence). */
export type DivergenceSummary = components['schemas']['Divergence'];

/** Past this many distinct rows, new kinds are counted but not kept (a misbehaving client cannot fill memory). */
export const MAX_DIVERGENCE_ROWS = 1000;

export class Divergences {
  private readonly rows = new Map<string, DivergenceSummary>();
  private requestsChecked = 0;
  private requestsDiverging = 0;
  private dropped = 0;

  /** One proxied request and what was wrong with it (nothing, usually). */
  record(operation: string, requestId: string, violations: readonly Divergence[], at = new Date().toISOString()): void {
    this.requestsChecked += 1;
    if (violations.length === 0) return;
    this.requestsDiverging += 1;
    for (const v of violations) {
      const key = JSON.stringify([operation, v.side, v.path, v.message]);
      const row = this.rows.get(key);
      if (row) {
        row.count += 1;
        row.lastSeen = at;
        row.lastRequestId = requestId;
      } else if (this.rows.size < MAX_DIVERGENCE_ROWS) {
        this.rows.set(key, { operation, ...v, count: 1, firstSeen: at, lastSeen: at, lastRequestId: requestId });
      } else {
        this.dropped += 1;
      }
    }
  }

  summary(): { requests: number; diverging: number; items: DivergenceSummary[]; dropped: number } {
    // Most frequent first: what to fix first.
    const items = [...this.rows.values()].sort((a, b) => b.count - a.count || a.operation.localeCompare(b.operation));
    return { requests: this.requestsChecked, diverging: this.requestsDiverging, items, dropped: this.dropped };
  }

  clear(): void {
    this.rows.clear();
    this.requestsChecked = 0;
    this.requestsDiverging = 0;
    this.dropped = 0;
  }
}

/** The response header that lists a request's divergences: `request /body/taxStatus, response /body/id`. */
export const DIVERGENCES_HEADER = 'Sequence-Mock-Divergences';
const MAX_HEADER = 2000;

export function divergencesHeader(violations: readonly Divergence[]): string {
  // Header values are Latin-1 without control characters: anything else in a path is percent-encoded.
  const text = violations
    .map((v) => `${v.side} ${v.path}`.replace(/[^\x20-\x7e]|%/g, (c) => encodeURIComponent(c)))
    .filter((item, i, all) => all.indexOf(item) === i)
    .join(', ');
  return text.length > MAX_HEADER ? `${text.slice(0, MAX_HEADER - 3)}...` : text;
}
