// List parameters -> a store query. Cursors are opaque to clients: base64url of the (createdAt, id)
// position of an item, so a walk stays stable while customers are created or archived during it.
import type { CustomerQuery, SortKey } from '../store/types.js';
import { compareKeys } from '../store/memory.js';
import { RuleViolation, type Violation } from '../rules/violation.js';
import { RULES } from './rules.js';

/** Sequence documents the 1..100 bound but no default page size; 20 is this fake's choice. */
export const DEFAULT_LIMIT = 20;

/** A list sorted by a custom property carries the property's value in its cursors too. */
export function encodeCursor(key: SortKey): string {
  const position = key.value === undefined ? [key.createdAt, key.id] : [key.createdAt, key.id, key.value];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** @param withValue whether the list the cursor is for is sorted by a custom property. */
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

/**
 * One page of a list already in ascending key order (aliases): the same cursor rules as customers,
 * for lists too small to need the store's indexes.
 */
export function pageOf<T>(sorted: readonly { key: SortKey; item: T }[], params: Pick<ListParams, 'limit' | 'after' | 'before'>) {
  const violations = limitViolations(params.limit);
  const { after, before } = cursors(params, false, violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  const limit = params.limit ?? DEFAULT_LIMIT;
  let start = 0;
  let end = sorted.length;
  if (after) start = sorted.findIndex((e) => compareKeys(e.key, after) > 0) >>> 0;
  if (before) end = sorted.findIndex((e) => compareKeys(e.key, before) >= 0) >>> 0;
  start = Math.min(start, sorted.length);
  end = Math.min(end, sorted.length);
  const from = before ? Math.max(start, end - limit) : start;
  const to = before ? end : Math.min(end, start + limit);
  const page = sorted.slice(from, to);
  return {
    items: page.map((e) => e.item),
    first: page[0]?.key,
    last: page.at(-1)?.key,
    hasBefore: from > 0,
    hasAfter: to < sorted.length,
    total: sorted.length,
  };
}

/** The query string as the validator hands it on (types already checked by the spec). */
export interface ListParams {
  sortBy?: string;
  sortOrder?: string;
  legalName?: string;
  email?: string;
  alias?: string;
  label?: string;
  billingStatus?: string;
  includeArchived?: boolean;
  limit?: number;
  before?: string;
  after?: string;
}

function limitViolations(limit: number | undefined): Violation[] {
  return limit !== undefined && !(limit >= 1 && limit <= 100) ? [{ path: '/query/limit', message: RULES.limit }] : [];
}

/** The page's cursors, decoded; what is wrong with them goes into `violations`. */
function cursors(
  params: Pick<ListParams, 'after' | 'before'>,
  withValue: boolean,
  violations: Violation[],
): { after?: SortKey; before?: SortKey } {
  if (params.after !== undefined && params.before !== undefined) violations.push({ path: '/query/before', message: RULES.cursorBoth });
  const after = params.after === undefined ? undefined : decodeCursor(params.after, withValue);
  const before = params.before === undefined ? undefined : decodeCursor(params.before, withValue);
  if (params.after !== undefined && !after) violations.push({ path: '/query/after', message: RULES.cursorMalformed });
  if (params.before !== undefined && !before) violations.push({ path: '/query/before', message: RULES.cursorMalformed });
  return { ...(after && { after }), ...(before && { before }) };
}

/** Checks what the spec leaves to prose, and builds the store query; throws RuleViolation. */
export function toCustomerQuery(params: ListParams): CustomerQuery {
  const violations = limitViolations(params.limit);
  const property = /^customProperties\.(.+)$/.exec(params.sortBy ?? '')?.[1];
  if (params.sortBy !== undefined && params.sortBy !== 'createdAt' && property === undefined)
    violations.push({ path: '/query/sortBy', message: RULES.sortBy });
  // The document's enum (ASC, DESC) is enforced by the validator.
  const order = params.sortOrder ?? 'DESC';
  const { after, before } = cursors(params, property !== undefined, violations);
  if (violations.length > 0) throw new RuleViolation(violations);
  return {
    ...(params.label !== undefined && { label: params.label }),
    // The validator has checked billingStatus against its enum.
    ...(params.billingStatus !== undefined && { billingStatus: params.billingStatus as 'ACTIVE' | 'INACTIVE' }),
    ...(property !== undefined && { sortProperty: property }),
    ...(params.legalName !== undefined && { legalName: params.legalName }),
    ...(params.email !== undefined && { email: params.email }),
    ...(params.alias !== undefined && { alias: params.alias }),
    includeArchived: params.includeArchived ?? false,
    order: order as CustomerQuery['order'],
    limit: params.limit ?? DEFAULT_LIMIT,
    ...(after && { after }),
    ...(before && { before }),
  };
}
