// The engine: every operation of the document answered from one table built at start-up. An
// operation a plug-in handles is answered by its handler; an operation of a collection the document
// describes (create, list, read, update, archive, remove, actions) by the generic collection code,
// with the plug-ins' rules on top; anything else by its documented example. Nothing here is listed
// by hand: operations and collections come from the document, handlers and rules from the plug-ins.
import type { Collection, OperationInfo } from './contract/operations.js';
import { chosenExample } from './contract/operations.js';
import type { Conformer } from './contract/conform.js';
import { accountIdOf } from './account.js';
import { bodyOf, CollectionService } from './collections.js';
import { notFound, NotFound, RuleViolation } from './errors.js';
import { exampleAnswer } from './examples.js';
import type { Answer, Call, CollectionRules, Handler, Json, Plugin } from './plugin.js';
import { eventSources, typesOf, type EventSink, type EventSource, type ResourceEvent } from './events.js';
import { named, type StoredRecord } from './store/types.js';

/** The collection whose item an operation's path runs through (`/quotes/{id}/analytics`), and the parameter naming the item. */
function ownerOf(operation: OperationInfo, collections: readonly Collection[]): { collection: Collection; param: string } | undefined {
  for (const collection of collections) {
    if (collection.parent) continue;
    const match = /^\/\{([^}]+)\}\/./.exec(operation.path.slice(collection.name.length));
    if (operation.path.startsWith(`${collection.name}/`) && match) return { collection, param: match[1]! };
  }
  return undefined;
}

/** An operation as `method path`, the document's path: HEAD is answered as GET. */
export function operationKey(method: string, path: string): string {
  return `${method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()} ${path}`;
}

/** What the HTTP side knows of a request: a Call without what the engine adds; the query is read only if a handler asks. */
export type CallRequest = Omit<Call, 'operation' | 'shape' | 'accountId' | 'query'> & {
  readQuery(): Readonly<Json>;
  /** Raise no events: a caller inside the fake (a billing run) raises its own, once its work is whole. */
  quiet?: boolean;
};

/**
 * A Call as handlers get it. The query (a getter on express's request), the account id (a hash) and
 * the presenter are made only when a handler reads them: most operations need none of them.
 */
class OperationCall implements Call {
  readonly partition;
  readonly clientId;
  readonly params;
  readonly body;
  readonly clock;
  readonly example;
  private account: string | undefined;
  private read: Readonly<Json> | undefined;

  constructor(
    private readonly request: CallRequest,
    readonly operation: OperationInfo,
    private readonly service: CollectionService,
  ) {
    this.partition = request.partition;
    this.clientId = request.clientId;
    this.params = request.params;
    this.body = request.body;
    this.clock = request.clock;
    this.example = request.example;
  }

  get query(): Readonly<Json> {
    return (this.read ??= this.request.readQuery());
  }

  get accountId(): string {
    return (this.account ??= accountIdOf(this.clientId));
  }

  get shape(): (record: Json) => unknown {
    return (record) => this.service.answer(this.operation, record, this.example, this.accountId);
  }
}

/** An operation's place in a collection. */
type Role = 'create' | 'list' | 'read' | 'update' | 'remove' | 'archive' | 'action' | 'lookup';

export interface EngineDocument {
  operations: readonly OperationInfo[];
  collections: readonly Collection[];
  conformer: Conformer;
}

export class Engine {
  private readonly table = new Map<string, { operation: OperationInfo; answer: (call: Call) => Answer; events?: EventSource }>();
  readonly service: CollectionService;
  /** The document's NotificationType values: the events there are. */
  readonly eventTypes: ReadonlySet<string>;

  /** Throws at start-up for a plug-in naming an operation or collection the document does not have. */
  constructor(
    document: EngineDocument,
    plugins: readonly Plugin[],
    private readonly sink?: EventSink,
  ) {
    const operations = new Map(document.operations.map((o) => [o.operationId, o]));
    const handlers = new Map<string, Handler>();
    const rules = new Map<string, CollectionRules>();
    for (const plugin of plugins) {
      for (const [operationId, handler] of Object.entries(plugin.handlers ?? {})) {
        if (!operations.has(operationId)) throw new Error(`${plugin.name}: no operation ${operationId} in the document`);
        if (handlers.has(operationId)) throw new Error(`${plugin.name}: ${operationId} has a handler already`);
        handlers.set(operationId, handler);
      }
      for (const [name, collectionRules] of Object.entries(plugin.rules ?? {})) {
        if (!document.collections.some((c) => c.name === name)) throw new Error(`${plugin.name}: no collection ${name} in the document`);
        rules.set(name, collectionRules);
      }
    }
    this.service = new CollectionService(document.conformer, rules);
    const roles = new Map<OperationInfo, { collection: Collection; role: Role }>();
    for (const collection of document.collections) {
      const add = (role: Role, operation: OperationInfo | undefined) => {
        if (operation && !roles.has(operation)) roles.set(operation, { collection, role });
      };
      add('create', collection.create);
      add('list', collection.list);
      add('read', collection.read);
      add('update', collection.update);
      add('update', collection.patch);
      add('remove', collection.remove);
      add('archive', collection.archive);
      for (const action of collection.actions) add('action', action);
      for (const { operation } of collection.lookups) add('lookup', operation);
    }
    for (const operation of document.operations) {
      const handler = handlers.get(operation.operationId);
      const role = roles.get(operation);
      const owner = handler || role ? undefined : ownerOf(operation, document.collections);
      const answer: (call: Call) => Answer = handler
        ? handler
        : role
          ? (call) => this.collection(role.collection, role.role, call)
          : owner
            ? // An example answer about an item (a PDF, analytics) still needs the item: 404 otherwise.
              (call) => {
                const id = call.params[owner.param] ?? '';
                if (!call.partition.get(named(owner.collection.name), id))
                  throw notFound(owner.collection.name.slice(1), `/path/${owner.param}`, id);
                return exampleAnswer(document.conformer, call);
              }
            : (call) => exampleAnswer(document.conformer, call);
      this.table.set(operationKey(operation.method, operation.path), { operation, answer });
    }
    const types = document.conformer.schema('#/components/schemas/NotificationType')?.enum;
    this.eventTypes = new Set(Array.isArray(types) ? types.map(String) : []);
    const sources = eventSources(document.operations, document.collections, this.eventTypes, (read) =>
      read.responseSchema ? document.conformer.refName(read.responseSchema) : undefined,
    );
    for (const [operation, source] of sources) this.table.get(operationKey(operation.method, operation.path))!.events = source;
  }

  /** The event of `type` for the resource `id` as a GET answers it now; undefined when there is no such resource. */
  event(request: CallRequest, type: string, id: string): ResourceEvent | undefined {
    const prefix = [...this.table.values()].find((entry) => entry.events && type.startsWith(`${entry.events.prefix}_`))?.events;
    if (!prefix || !this.eventTypes.has(type)) return undefined;
    const resource = this.read(prefix, request, id);
    return resource === undefined ? undefined : { notificationType: type, resourceType: prefix.resourceType, resourceId: id, resource };
  }

  /** Raises events of the given types for a resource, as a change through the API would. */
  raise(request: CallRequest, types: readonly string[], id: string): void {
    if (!this.sink?.wants(request.partition)) return;
    const events = types.flatMap((type) => this.event(request, type, id) ?? []);
    if (events.length > 0)
      this.sink.emit(
        { partition: request.partition, clientId: request.clientId, accountId: accountIdOf(request.clientId), clock: request.clock },
        events,
      );
  }

  /** What the item read answers for a resource, or undefined when it is not there. */
  private read(source: EventSource, request: CallRequest, id: string): unknown {
    try {
      const answer = this.answer(source.readKey, {
        ...request,
        params: { [source.readParam]: id },
        body: undefined,
        example: undefined,
        readQuery: () => ({}),
      });
      return answer && answer.status < 300 ? answer.body : undefined;
    } catch (err) {
      if (err instanceof NotFound) return undefined;
      throw err;
    }
  }

  /** The events of a change an operation made, each with the resource as it reads now. */
  private eventsOf(source: EventSource, request: CallRequest, answer: Answer, before: unknown): ResourceEvent[] {
    const id = source.kind === 'create' ? (answer.body as { id?: unknown } | undefined)?.id : Object.values(request.params)[0];
    if (typeof id !== 'string') return [];
    const resource = this.read(source, request, id);
    if (resource === undefined) return [];
    const after = (resource as { status?: unknown }).status;
    return typesOf(source, this.eventTypes, before, after).map((notificationType) => ({
      notificationType,
      resourceType: source.resourceType,
      resourceId: id,
      resource,
    }));
  }

  /** The operation of the document at `key` (`method path`), if any. */
  operation(key: string): OperationInfo | undefined {
    return this.table.get(key)?.operation;
  }

  /** Answers a request to the operation at `key`; undefined when the document has no such operation. */
  answer(key: string, request: CallRequest): (Answer & { status: number }) | undefined {
    const found = this.table.get(key);
    if (!found) return undefined;
    // Events only where someone listens: a partition without a webhook policy pays one lookup.
    const source = found.events && !request.quiet && this.sink?.wants(request.partition) ? found.events : undefined;
    const before = source && source.kind !== 'create' ? this.statusOf(source, request) : undefined;
    const answer: Answer = found.answer(new OperationCall(request, found.operation, this.service));
    answer.status ??= found.operation.status;
    if (source && answer.changed && answer.status < 300) {
      const events = this.eventsOf(source, request, answer, before);
      if (events.length > 0)
        this.sink!.emit(
          { partition: request.partition, clientId: request.clientId, accountId: accountIdOf(request.clientId), clock: request.clock },
          events,
        );
    }
    return answer as Answer & { status: number };
  }

  /** The status of the resource an operation is about to change, to tell when it is issued. */
  private statusOf(source: EventSource, request: CallRequest): unknown {
    const id = Object.values(request.params)[0];
    const resource = typeof id === 'string' ? this.read(source, request, id) : undefined;
    return (resource as { status?: unknown } | undefined)?.status;
  }

  /** A collection's operation: the record read, changed or listed, answered in the operation's own shape. */
  private collection(collection: Collection, role: Role, call: Call): Answer {
    const { service } = this;
    const { operation } = call;
    chosenExample(operation, call.example); // an unknown Prefer: example= is a 400 before anything else
    const parentProblem = service.parentProblem(collection, call);
    if (parentProblem) throw new NotFound(parentProblem);
    const presented = service.rulesOf(collection)?.presented;
    const answer = presented ? (record: Json) => call.shape({ ...record, ...presented(record as StoredRecord, call) }) : call.shape;
    const refuseEdit = (existing: StoredRecord | undefined) => {
      const problem = service.editProblem(collection, call, existing);
      if (problem) throw new RuleViolation([problem]);
    };

    if (role === 'create') {
      refuseEdit(undefined);
      return { body: answer(service.create(collection, call)), changed: true };
    }
    if (role === 'list' && collection.single) {
      const { record, made } = service.single(collection, call);
      return { body: answer(record), changed: made };
    }
    if (role === 'list') return { body: service.answerList(collection, call, service.list(collection, call)) };
    if (role === 'lookup') return { body: service.lookup(collection, call) };

    const id = call.params[collection.itemParam ?? ''] ?? '';
    const existing = service.get(collection, call, id);
    if (!existing) throw notFound(collection.name.split('/').pop() ?? 'item', `/path/${collection.itemParam}`, id);
    switch (role) {
      case 'read':
        return { body: answer(existing) };
      case 'update':
        refuseEdit(existing);
        return { body: answer(service.change(collection, call, existing, bodyOf(call))), changed: true };
      case 'archive':
        return { body: answer(service.archive(collection, call, existing)), changed: true };
      case 'remove':
        refuseEdit(existing);
        return { body: answer(service.remove(collection, call, existing)), changed: true };
      case 'action': {
        const own = service.rulesOf(collection)?.actions?.[operation.path.slice(collection.itemPath!.length)];
        const fields = own ? own(existing, bodyOf(call), call) : operation.hasBody ? bodyOf(call) : {};
        const changed = Object.keys(fields).length > 0;
        return { body: answer(changed ? service.change(collection, call, existing, fields) : existing), changed };
      }
    }
  }
}
