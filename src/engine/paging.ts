// Paging, once for every list: the list parameters as the validator hands them on, one opaque cursor
// (base64url of a position: [createdAt, id], plus the sort value when a list sorts by one), and one
// walk over an ascending keyed list that answers a page in either order with the flags for the
// cursors around it. A cursor names a position, not an item, so a walk stays stable while records
// are created or archived during it.
import { RuleViolation, type Violation } from './errors.js';
import { compareKeys, lowerBound } from './store/memory.js';
import type { SortedView, SortKey } from './store/types.js';

/** Sequence documents the 1..100 bound but no default page size; 20 is this fake's choice. */
export const DEFAULT_LIMIT = 20;

export const PAGING_MESSAGES = {
  // The limit parameter's description: "Must be between 1 and 100 (inclusive)" (no minimum or maximum in its schema).
  limit: 'must be between 1 and 100 (inclusive)',
  cursorBoth: 'cannot be combined with after: page forwards with after or backwards with before',
  cursorMalformed: 'is not a cursor this API returned for this sort order',
} as const;

/** The query string as the validator hands it on (types already checked by the document). */
export interface ListParams {
  sortBy?: string;
  sortOrder?: string;
  includeArchived?: boolean;
  limit?: number;
  before?: string;
  after?: string;
  [filter: string]: unknown;
}

export interface PageRequest {
  order: 'ASC' | 'DESC';
  limit: number;
  /** At most one: the page after (or before) this position, in `order`. */
  after?: SortKey;
  before?: SortKey;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Whether matching items exist before the first / after the last item of the page. */
  hasBefore: boolean;
  hasAfter: boolean;
  first?: SortKey;
  last?: SortKey;
}

/** Query values arrive as strings or, after the validator's coercion, as typed values. */
export const isTrue = (value: unknown): boolean => value === true || value === 'true';

/** The list parameters of a query: strings kept, limit a number, includeArchived a boolean. */
export function listParams(query: Record<string, unknown>): ListParams {
  const params: ListParams = {};
  for (const [name, value] of Object.entries(query)) if (typeof value === 'string') params[name] = value;
  if (query.limit !== undefined) params.limit = Number(query.limit);
  if (query.includeArchived !== undefined) params.includeArchived = isTrue(query.includeArchived);
  return params;
}

export function encodeCursor(key: SortKey): string {
  const position = key.value === undefined ? [key.createdAt, key.id] : [key.createdAt, key.id, key.value];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** @param withValue whether the list the cursor is for is sorted by a field's value. */
export function decodeCursor(cursor: string, withValue = false): SortKey | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== (withValue ? 3 : 2) || !Number.isFinite(value[0]) || typeof value[1] !== 'string')
      return undefined;
    if (!withValue) return { createdAt: value[0] as number, id: value[1] };
    if (value[2] === null || typeof value[2] === 'string')
      return { value: value[2] as string | null, createdAt: value[0] as number, id: value[1] };
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** The documented "between 1 and 100 (inclusive)"; also what keeps one request from serialising a whole collection. */
export const MAX_LIMIT = 100;
export const validLimit = (limit: number): boolean => Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT;

/**
 * The page a list asks for, or its problems added to `violations` (so a resource can report them
 * with its own in one 400): the 1..100 limit, one cursor at most, cursors this API made.
 */
export function pageRequest(params: ListParams, defaultOrder: 'ASC' | 'DESC', withValue: boolean, violations: Violation[]): PageRequest {
  if (params.limit !== undefined && !validLimit(params.limit)) violations.push({ path: '/query/limit', message: PAGING_MESSAGES.limit });
  if (params.after !== undefined && params.before !== undefined)
    violations.push({ path: '/query/before', message: PAGING_MESSAGES.cursorBoth });
  const after = params.after === undefined ? undefined : decodeCursor(params.after, withValue);
  const before = params.before === undefined ? undefined : decodeCursor(params.before, withValue);
  if (params.after !== undefined && !after) violations.push({ path: '/query/after', message: PAGING_MESSAGES.cursorMalformed });
  if (params.before !== undefined && !before) violations.push({ path: '/query/before', message: PAGING_MESSAGES.cursorMalformed });
  // The document's enum (ASC, DESC) is enforced by the validator.
  const order = params.sortOrder === 'ASC' || params.sortOrder === 'DESC' ? params.sortOrder : defaultOrder;
  return { order, limit: params.limit ?? DEFAULT_LIMIT, ...(after && { after }), ...(before && { before }) };
}

/** pageRequest() that throws its violations at once. */
export function checkedPageRequest(params: ListParams, defaultOrder: 'ASC' | 'DESC', withValue = false): PageRequest {
  const violations: Violation[] = [];
  const request = pageRequest(params, defaultOrder, withValue, violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  return request;
}

/**
 * One page of `candidates` (ascending by key) in the request's order, counting only `visible`
 * entries. `total` may be given when the caller counts it more cheaply than a scan.
 */
export function walk<T>(
  candidates: SortedView<T>,
  request: PageRequest,
  visible: (record: T) => boolean = () => true,
  total?: number,
): Page<T> {
  const seen = (i: number) => visible(candidates.recordAt(i));
  // Work in ascending indexes; `step` walks in the list's order, `back` against it.
  const step = request.order === 'ASC' ? 1 : -1;
  const cursor = request.after ?? request.before;
  let start: number; // first index to look at, walking `dir`
  let dir: number;
  if (cursor === undefined) {
    start = step === 1 ? 0 : candidates.length - 1;
    dir = step;
  } else {
    const at = lowerBound(candidates.length, (i) => candidates.keyAt(i), cursor);
    const exact = at < candidates.length && compareKeys(candidates.keyAt(at), cursor) === 0;
    dir = request.after ? step : -step;
    // Index just past the cursor in direction dir: upward skips an exact match, downward is at-1.
    start = dir === 1 ? at + (exact ? 1 : 0) : at - 1;
  }
  const picked: number[] = [];
  let i = start;
  for (; i >= 0 && i < candidates.length && picked.length < request.limit; i += dir) if (seen(i)) picked.push(i);
  const anyFrom = (from: number, d: number) => {
    for (let j = from; j >= 0 && j < candidates.length; j += d) if (seen(j)) return true;
    return false;
  };
  const moreInWalk = anyFrom(i, dir);
  // Something before where the walk started (the cursor itself counts if visible).
  const behindWalk = cursor === undefined ? false : anyFrom(start - dir, -dir);
  if (dir !== step) picked.reverse();
  let count = total;
  if (count === undefined) {
    count = 0;
    for (let j = 0; j < candidates.length; j += 1) if (seen(j)) count += 1;
  }
  return {
    items: picked.map((j) => candidates.recordAt(j)),
    total: count,
    hasAfter: dir === step ? moreInWalk : behindWalk,
    hasBefore: dir === step ? behindWalk : moreInWalk,
    ...(picked.length > 0 && { first: candidates.keyAt(picked[0]!), last: candidates.keyAt(picked.at(-1)!) }),
  };
}

/** The `pagination` object of a page: cursors at its first and last item, and the total. */
export function pagination(page: Page<unknown>): { after?: string; before?: string; totalResultSize: number } {
  return {
    ...(page.hasAfter && page.last && { after: encodeCursor(page.last) }),
    ...(page.hasBefore && page.first && { before: encodeCursor(page.first) }),
    totalResultSize: page.total,
  };
}

/**
 * One page of records kept in the order they were made, in the order asked (`sortOrder`) or the
 * list's default, from `limit`, `after` and `before`: the cursor scheme of every list the engine
 * keeps. A position is found by the record a cursor names.
 */
export function slicePage<R extends { id: string }>(
  records: readonly R[],
  query: Readonly<Record<string, unknown>>,
  defaultOrder: 'ASC' | 'DESC',
): { items: R[]; pagination: { after?: string; before?: string; totalResultSize: number } } {
  const limit = Number(query.limit ?? DEFAULT_LIMIT);
  if (!validLimit(limit)) throw new RuleViolation([{ path: '/query/limit', message: PAGING_MESSAGES.limit }]);
  const order = query.sortOrder === 'ASC' || query.sortOrder === 'DESC' ? query.sortOrder : defaultOrder;
  const all = order === 'DESC' ? [...records].reverse() : records;
  const cursor = (name: 'after' | 'before') => {
    const value = query[name];
    if (typeof value !== 'string') return undefined;
    const id = decodeCursor(value)?.id;
    const at = id === undefined ? -1 : all.findIndex((record) => record.id === id);
    if (at < 0) throw new RuleViolation([{ path: `/query/${name}`, message: PAGING_MESSAGES.cursorMalformed }]);
    return at;
  };
  const after = cursor('after');
  const before = cursor('before');
  const start = after !== undefined ? after + 1 : before !== undefined ? Math.max(0, before - limit) : 0;
  const end = before !== undefined && after === undefined ? before : Math.min(all.length, start + limit);
  const items = all.slice(start, end);
  return {
    items,
    pagination: {
      ...(end < all.length && items.length > 0 && { after: encodeCursor({ createdAt: end - 1, id: items.at(-1)!.id }) }),
      ...(start > 0 && items.length > 0 && { before: encodeCursor({ createdAt: start, id: items[0]!.id }) }),
      totalResultSize: all.length,
    },
  };
}
