// --record: what the upstream answered during a proxied session, kept as the fake's own records, in
// the durable store's file, so `--data <file>` later serves the same customers, contacts, aliases,
// organizations and collection resources offline. A plug-in says how its operations' answers are
// kept (Plugin.record); any other answer of one of the document's collections is kept as that
// collection's record. Only what passed through is known: a customer seen only in a list has no
// contacts (lists do not carry them) until it is read.
import { isObject } from '../../engine/contract/conform.js';
import { fillPath } from '../../engine/collections.js';
import type { Collection, OperationInfo } from '../../engine/contract/operations.js';
import { operationKey } from '../../engine/engine.js';
import type { Plugin, Recorder as RecordAnswer } from '../../engine/plugin.js';
import { named, type Partition, type Store, type StoredRecord } from '../../engine/store/types.js';

const itemsOf = (body: unknown): unknown[] => (isObject(body) && Array.isArray(body.items) ? body.items : []);

type Role = 'create' | 'read' | 'update' | 'patch' | 'list' | 'remove' | 'archive';

export class Recorder {
  private readonly own = new Map<string, RecordAnswer>();
  private readonly collections = new Map<string, { collection: Collection; role: Role }>();

  constructor(
    private readonly store: Store,
    collections: readonly Collection[],
    plugins: readonly Plugin[],
    operations: readonly OperationInfo[],
  ) {
    const keys = new Map(operations.map((o) => [o.operationId, operationKey(o.method, o.path)]));
    for (const plugin of plugins)
      for (const [operationId, record] of Object.entries(plugin.record ?? {})) {
        const key = keys.get(operationId);
        if (key === undefined) throw new Error(`${plugin.name}: no operation ${operationId} in the document to record`);
        this.own.set(key, record);
      }
    for (const collection of collections) {
      for (const role of ['create', 'read', 'update', 'patch', 'list', 'remove', 'archive'] as const) {
        const operation = collection[role];
        if (operation) this.collections.set(operationKey(operation.method, operation.path), { collection, role });
      }
    }
  }

  /** One successful answer to the operation at `operation` (`method path`); resolves once it is in the file. */
  async observe(clientId: string, operation: string, params: Record<string, string>, body: unknown): Promise<void> {
    const partition = this.store.partition(clientId);
    const own = this.own.get(operation);
    if (own) own(partition, params, body);
    else this.resource(partition, operation, params, body);
    await this.store.commit();
  }

  /** A resource of the rest of the API, kept as the collection the fake serves it from. */
  private resource(partition: Partition, operation: string, params: Record<string, string>, body: unknown): void {
    const found = this.collections.get(operation);
    if (!found) return;
    const spec = named(fillPath(found.collection.name, params));
    if (found.role === 'remove') {
      const id = found.collection.itemParam === undefined ? undefined : params[found.collection.itemParam];
      if (id !== undefined) partition.delete(spec, id);
      return;
    }
    for (const item of found.role === 'list' ? itemsOf(body) : [body]) {
      if (isObject(item) && typeof item.id === 'string') partition.put(spec, item as StoredRecord);
    }
  }
}
