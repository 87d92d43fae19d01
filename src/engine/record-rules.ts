// What the generic collections apply to every record: where a nested record is kept, the account a
// record answers as, and the one reference rule every body is held to.
import type { Violation } from './errors.js';
import type { Json } from './plugin.js';
import { CUSTOMERS } from './records.js';
import type { Partition } from './store/types.js';

/** A collection path with the request's path parameters in it: where one item's nested records are kept. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

/** Records generated or loaded without an account id answer as the caller's account. */
export function asAccount(record: Json, accountId: string | undefined): Json {
  return accountId === undefined || 'sequenceAccountId' in record ? record : { ...record, sequenceAccountId: accountId };
}

/**
 * A request naming a customer must name one of this account's customers: Sequence would not bill a
 * customer that does not exist. Checked for the `customerId` field at the top of a body.
 */
export function references(body: Json, partition: Partition): Violation[] {
  const id = body.customerId;
  if (typeof id !== 'string' || partition.get(CUSTOMERS, id)) return [];
  return [{ path: '/body/customerId', message: `no customer with id ${id} in this account` }];
}
