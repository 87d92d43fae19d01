// List parameters -> a store query. Cursors are opaque to clients: base64url of the (createdAt, id)
// position of an item, so a walk stays stable while customers are created or archived during it.
import type { CustomerQuery, SortKey } from '../store/types.js';
import { RULES, RuleViolation, type Violation } from './rules.js';

/** Sequence documents the 1..100 bound but no default page size; 20 is this fake's choice. */
export const DEFAULT_LIMIT = 20;

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): SortKey | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** The query string as the validator hands it on (types already checked by the spec). */
export interface ListParams {
  sortBy?: string;
  sortOrder?: string;
  legalName?: string;
  email?: string;
  alias?: string;
  includeArchived?: boolean;
  limit?: number;
  before?: string;
  after?: string;
}

/** Checks what the spec leaves to prose, and builds the store query; throws RuleViolation. */
export function toCustomerQuery(params: ListParams): CustomerQuery {
  const violations: Violation[] = [];
  if (params.sortBy !== undefined && params.sortBy !== 'createdAt') violations.push({ path: '/query/sortBy', message: RULES.sortBy });
  const order = params.sortOrder ?? 'DESC';
  if (order !== 'ASC' && order !== 'DESC') violations.push({ path: '/query/sortOrder', message: RULES.sortOrder });
  if (params.after !== undefined && params.before !== undefined) violations.push({ path: '/query/before', message: RULES.cursorBoth });
  const after = params.after === undefined ? undefined : decodeCursor(params.after);
  const before = params.before === undefined ? undefined : decodeCursor(params.before);
  if (params.after !== undefined && !after) violations.push({ path: '/query/after', message: RULES.cursorMalformed });
  if (params.before !== undefined && !before) violations.push({ path: '/query/before', message: RULES.cursorMalformed });
  if (violations.length > 0) throw new RuleViolation(violations);
  return {
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
