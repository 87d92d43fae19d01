// The events Sequence's webhooks carry, derived from the document: its NotificationType enum names
// them (CUSTOMER_CREATED, INVOICE_ISSUED, ...), and its collections say which operation changes which
// resource. A collection whose singular name is an event prefix (/customers -> CUSTOMER,
// /billing-schedules -> BILLING_SCHEDULE, /credit-notes -> CREDIT_NOTE) raises:
//   - <PREFIX>_CREATED when a create (or an action answering 201, a duplicate) makes one;
//   - <PREFIX>_ARCHIVED when it is archived, where the enum has that type (else _UPDATED);
//   - <PREFIX>_UPDATED for every other change to it, and to what hangs from it (an invoice's line
//     items, a customer's contacts);
//   - <PREFIX>_ISSUED, where the enum has it, when a change takes it from IN_PROGRESS or DRAFT to
//     FINAL or SENT (finalize, finalize-and-send, mark-as-sent).
// Nothing is listed by hand; who receives an event is the webhooks tool's business (EventSink).
import type { Collection, OperationInfo } from './contract/operations.js';
import type { Clock } from './clock.js';
import type { Partition } from './store/types.js';

export interface ResourceEvent {
  notificationType: string;
  /** The schema the resource is answered in, e.g. BillingScheduleResponse. */
  resourceType: string;
  resourceId: string;
  /** What a GET of the resource answers at that moment. */
  resource: unknown;
}

/** Where events go: the webhooks tool. */
export interface EventSink {
  /** Whether anyone in this partition listens; asked first, so a partition with no listener pays nothing. */
  wants(partition: Partition): boolean;
  /** The events of one change, in order; called before the change is acknowledged, so they are kept with it. */
  emit(target: { partition: Partition; clientId: string; accountId: string; clock: Clock }, events: readonly ResourceEvent[]): void;
}

/** What an operation changes, for events: the top-level collection, and how the id is found. */
export interface EventSource {
  prefix: string;
  /** The key of the item read (`get /invoices/{id}`) and its parameter: the resource as a GET answers it. */
  readKey: string;
  readParam: string;
  resourceType: string;
  kind: 'create' | 'archive' | 'update';
}

const ISSUED_FROM = new Set(['IN_PROGRESS', 'DRAFT']);
const ISSUED_TO = new Set(['FINAL', 'SENT']);

/** `/credit-notes` -> CREDIT_NOTE. */
export const prefixOf = (collection: string) => (collection.split('/').pop() ?? '').replace(/s$/, '').replace(/-/g, '_').toUpperCase();

/** The types an operation's change raises, given the resource's status before and after it. */
export function typesOf(source: EventSource, types: ReadonlySet<string>, statusBefore: unknown, statusAfter: unknown): string[] {
  const { prefix, kind } = source;
  const made: string[] = [];
  if (kind === 'create') made.push(`${prefix}_CREATED`);
  else if (kind === 'archive' && types.has(`${prefix}_ARCHIVED`)) made.push(`${prefix}_ARCHIVED`);
  else made.push(`${prefix}_UPDATED`);
  if (
    typeof statusBefore === 'string' &&
    typeof statusAfter === 'string' &&
    ISSUED_FROM.has(statusBefore) &&
    ISSUED_TO.has(statusAfter) &&
    types.has(`${prefix}_ISSUED`)
  )
    made.push(`${prefix}_ISSUED`);
  return made.filter((type) => types.has(type));
}

/**
 * Every changing operation of the document that raises events, with its source: operations of a
 * collection named by an event prefix, and of the collections below its items.
 */
export function eventSources(
  operations: readonly OperationInfo[],
  collections: readonly Collection[],
  types: ReadonlySet<string>,
  schemaName: (operation: OperationInfo) => string | undefined,
): Map<OperationInfo, EventSource> {
  const sources = new Map<OperationInfo, EventSource>();
  for (const collection of collections) {
    const prefix = prefixOf(collection.name);
    // A resource of its own is a top-level path of one segment (/payments/settings/customers are settings).
    const topLevel = /^\/[a-z-]+$/.test(collection.name);
    if (!topLevel || !collection.read || !collection.itemPath || !types.has(`${prefix}_UPDATED`)) continue;
    const read = collection.read;
    const base = {
      prefix,
      readKey: `get ${read.path}`,
      readParam: /\{([^}]+)\}$/.exec(read.path)?.[1] ?? 'id',
      resourceType: schemaName(read) ?? `${collection.name}`,
    };
    const nested = new Set(
      collections
        .filter((c) => c.parent?.collection === collection.name)
        .flatMap((c) => [c.create, c.update, c.patch, c.remove, c.archive, ...c.actions]),
    );
    for (const operation of operations) {
      if (operation.method === 'get' || operation.method === 'head') continue;
      if (operation === collection.create) sources.set(operation, { ...base, kind: 'create' });
      else if (operation === collection.archive) sources.set(operation, { ...base, kind: 'archive' });
      else if (operation.path.startsWith(`${collection.name}/{`))
        // An action of the item answering 201 makes a new one (POST /billing-schedules/{id}/duplicate);
        // a write below the item (a line item, a contact) changes the item.
        sources.set(operation, { ...base, kind: operation.status === 201 && !nested.has(operation) ? 'create' : 'update' });
    }
  }
  return sources;
}
