// The resources of the rest of Sequence's API that a client creates and reads back (tax rates,
// products, prices, invoices, credit notes, ...), kept per partition from the document's shapes alone.
// A record is the create operation's documented example with the request's fields over it, fitted
// to the create response's schema; every answer is that record fitted to the answering operation's
// own example and schema, so it conforms whatever the operation. Resources with behaviour of their
// own (billing schedules, usage events) add rules through CollectionRules, from their plug-ins.
import type { Collection, OperationInfo } from './contract/operations.js';
import { chosenExample, freshFields, primaryExample } from './contract/operations.js';
import { isObject, type Conformer } from './contract/conform.js';
import { NotFound, RuleViolation, type Violation } from './errors.js';

export { fillPath } from './record-rules.js';
import { isTrue, slicePage } from './paging.js';
import type { Call, CollectionRules, Json } from './plugin.js';
import { asAccount, fillPath, references } from './record-rules.js';
import { named, type StoredRecord } from './store/types.js';

/** Query parameters that page or sort a list, never filters on a field. */
const PAGING = new Set(['limit', 'after', 'before', 'sortBy', 'sortOrder', 'includeArchived']);

/** The body of a call as an object (an operation without one has {}). */
export const bodyOf = (call: Call): Json => (isObject(call.body) ? call.body : {});

export class CollectionService {
  /** What each collection's schemas say, read from the document once rather than on every request. */
  private readonly shapes = new Map<Collection, { readers: { schema: Json; example: unknown }[]; itemFields: Set<string> }>();
  private readonly madeBases = new Map<string, unknown[]>();
  private readonly madeDefaults = new Map<Collection, Json[]>();

  constructor(
    private readonly conformer: Conformer,
    private readonly rules: ReadonlyMap<string, CollectionRules>,
  ) {}

  rulesOf(collection: Collection): CollectionRules | undefined {
    return this.rules.get(collection.name);
  }

  /** Where a collection's records are kept: its path with the parent's id in it, so line items stay with their invoice. */
  key(collection: Collection, call: Call) {
    return named(fillPath(collection.name, call.params));
  }

  /** A write to a nested collection, or an update, refused while its item (or parent item) is not editable. */
  editProblem(collection: Collection, call: Call, existing: StoredRecord | undefined): Violation | undefined {
    const own = existing && this.rules.get(collection.name)?.editable?.(existing);
    if (own || !collection.parent) return own;
    const parentRules = this.rules.get(collection.parent.collection);
    if (!parentRules?.editable) return undefined;
    const parent = call.partition.get(
      named(fillPath(collection.parent.collection, call.params)),
      call.params[collection.parent.param] ?? '',
    );
    return parent ? parentRules.editable(parent) : undefined;
  }

  /** The parent item a nested collection hangs from must exist (404 naming the path parameter otherwise). */
  parentProblem(collection: Collection, call: Call): Violation | undefined {
    if (!collection.parent) return undefined;
    const id = call.params[collection.parent.param] ?? '';
    return call.partition.get(named(fillPath(collection.parent.collection, call.params)), id)
      ? undefined
      : { path: `/path/${collection.parent.param}`, message: `no ${collection.parent.collection.slice(1)} item with id ${id}` };
  }

  /** The answer of `operation` for a record: its example, the record's fields over it, fitted to its schema. */
  answer(operation: OperationInfo, record: Json, example: string | undefined, accountId?: string): unknown {
    if (!operation.responseSchema) return undefined;
    const schema = operation.responseSchema;
    const bases = this.bases(operation, example).map((base) => this.conformer.minimal(schema, base));
    return this.conformer.fitBest(schema, bases, asAccount(record, accountId));
  }

  /** The examples an answer may be shaped from: the one asked for, else every one the operation documents. */
  bases(operation: OperationInfo, example: string | undefined): unknown[] {
    const chosen = this.example(operation, example);
    return example !== undefined && operation.examples.has(example) ? [chosen] : [...operation.examples.values()];
  }

  /** The named example, or the operation's primary one; a name the operation does not have is a 400. */
  example(operation: OperationInfo, name: string | undefined): unknown {
    return chosenExample(operation, name);
  }

  create(collection: Collection, call: Call): StoredRecord {
    const create = collection.create;
    if (!create) throw new Error(`${collection.name} has no create operation`);
    const rules = this.rules.get(collection.name);
    const body = bodyOf(call);
    const violations = [...references(body, call.partition), ...(rules?.check?.(body, call.partition, undefined) ?? [])];
    if (violations.length > 0) throw new RuleViolation(violations);
    const base = this.example(create, call.example);
    const now = call.clock.now().toISOString();
    const generated: Json = freshFields(base, now, () => call.clock.newId());
    if (isObject(base)) {
      if ('sequenceAccountId' in base) generated.sequenceAccountId = call.accountId;
      // A nested record names its parent as the document's example does (invoiceId, creditNoteId, ...).
      if (collection.parent) {
        const field = Object.keys(base).find((k) => k.toLowerCase() === `${collection.parent!.param.toLowerCase()}id`);
        if (field) generated[field] = call.params[collection.parent.param];
      }
    }
    const overlay = { ...body, ...generated, ...rules?.generated?.(body, call) };
    // A new record takes from the example only what the schema requires: the example's optional
    // fields describe some other resource (archivedAt, a purchase order number, ...), not this one;
    // nor do its lists (integrations, attachments, custom metric parameters), which start empty.
    const schema = create.responseSchema ?? {};
    const fitted = this.conformer.fitBest(schema, this.createBases(create, call.example), overlay) as StoredRecord;
    const record = rules?.computed ? { ...fitted, ...rules.computed(fitted, call) } : fitted;
    // What the read and list answers require and the create did not make is fixed now, from their
    // examples, so every later answer of this record says the same.
    for (const required of this.readerDefaults(collection))
      for (const [key, value] of Object.entries(required)) if (!(key in record)) record[key] = value;
    call.partition.put(this.key(collection, call), record);
    return record;
  }

  /** The examples a create's record is fitted to, cut down as create() says: worked out once per operation and example name. */
  private createBases(create: OperationInfo, example: string | undefined): unknown[] {
    const key = `${create.method} ${create.path} ${example ?? ''}`;
    let bases = this.madeBases.get(key);
    if (!bases) {
      const schema = create.responseSchema ?? {};
      bases = this.bases(create, example).map((base) => this.withEmptyLists(schema, this.conformer.minimal(schema, base)));
      this.madeBases.set(key, bases);
    }
    return bases;
  }

  /** What each reader of a collection requires, from its example: worked out once per collection. */
  private readerDefaults(collection: Collection): Json[] {
    let defaults = this.madeDefaults.get(collection);
    if (!defaults) {
      defaults = this.readers(collection)
        .map(({ schema, example }) => this.withEmptyLists(schema, this.conformer.minimal(schema, example)))
        .filter(isObject);
      this.madeDefaults.set(collection, defaults);
    }
    return defaults;
  }

  /** An example with its lists emptied, where its schema allows that. */
  private withEmptyLists(schema: string | Json, example: unknown): unknown {
    if (!isObject(example)) return example;
    const emptied = Object.fromEntries(Object.entries(example).map(([key, value]) => [key, Array.isArray(value) ? [] : value]));
    return this.conformer.errors(schema, emptied).length === 0 ? emptied : example;
  }

  /** The shapes a collection's records are read back in (the read answer, a list item), each with its documented example. */
  private readers(collection: Collection): { schema: Json; example: unknown }[] {
    return this.shapesOf(collection).readers;
  }

  private itemFields(collection: Collection): Set<string> {
    return this.shapesOf(collection).itemFields;
  }

  private shapesOf(collection: Collection) {
    let shapes = this.shapes.get(collection);
    if (!shapes)
      this.shapes.set(collection, (shapes = { readers: this.findReaders(collection), itemFields: this.findItemFields(collection) }));
    return shapes;
  }

  private findReaders(collection: Collection): { schema: Json; example: unknown }[] {
    const found: { schema: Json; example: unknown }[] = [];
    const read = collection.read?.responseSchema && this.conformer.schema(collection.read.responseSchema);
    if (read) found.push({ schema: read, example: primaryExample(collection.read!) });
    const list = collection.list?.responseSchema && this.conformer.schema(collection.list.responseSchema);
    const item = list ? this.conformer.resolve(this.conformer.itemsOf(this.conformer.child(list, 'items'))) : undefined;
    const page = collection.list && primaryExample(collection.list);
    if (isObject(item)) found.push({ schema: item, example: isObject(page) && Array.isArray(page.items) ? page.items[0] : undefined });
    return found;
  }

  get(collection: Collection, call: Call, id: string): StoredRecord | undefined {
    return call.partition.get(this.key(collection, call), id);
  }

  /** A change to a record (an update, an archive, an action with a body), stored fitted to the create response's shape. */
  change(collection: Collection, call: Call, existing: StoredRecord, fields: Json): StoredRecord {
    const rules = this.rules.get(collection.name);
    const violations = [...references(fields, call.partition), ...(rules?.check?.(fields, call.partition, existing) ?? [])];
    if (violations.length > 0) throw new RuleViolation(violations);
    const now = call.clock.now().toISOString();
    const overlay: Json = { ...existing, ...fields, id: existing.id };
    if ('updatedAt' in existing) overlay.updatedAt = now;
    const stored = (collection.create ?? collection.read ?? collection.list)?.responseSchema;
    const fitted = this.conformer.fit(stored ?? {}, existing, overlay) as StoredRecord;
    const record = rules?.computed ? { ...fitted, ...rules.computed(fitted, call) } : fitted;
    // Archived is kept even where the schema has no field saying so (a product): what it stops
    // (new prices, list entries) depends on it.
    if (fields.archivedAt !== undefined) record.archivedAt = fields.archivedAt;
    call.partition.put(this.key(collection, call), record);
    return record;
  }

  /** A setting's one record: the partition's, else its documented example, kept from now on ("Get or create"). */
  single(collection: Collection, call: Call): { record: StoredRecord; made: boolean } {
    const [found] = call.partition.all(this.key(collection, call));
    if (found) return { record: found, made: false };
    const record = structuredClone(this.example(collection.list!, undefined)) as StoredRecord;
    call.partition.put(this.key(collection, call), record);
    return { record, made: true };
  }

  archive(collection: Collection, call: Call, existing: StoredRecord): StoredRecord {
    const now = call.clock.now().toISOString();
    return this.change(collection, call, existing, {
      archivedAt: now,
      isArchived: true,
      ...('status' in existing && { status: 'ARCHIVED' }),
    });
  }

  remove(collection: Collection, call: Call, existing: StoredRecord): Json {
    call.partition.delete(this.key(collection, call), existing.id);
    return { ...existing, deletedAt: call.clock.now().toISOString() };
  }

  /** One page, in the order asked or the list's documented default: fields named by the query filter by equality; cursors name a record. */
  list(collection: Collection, call: Call): { items: StoredRecord[]; pagination: Json } {
    const rules = this.rules.get(collection.name);
    // A query parameter named as a field of the listed items filters on it (customerId, label, ...).
    const fields = this.itemFields(collection);
    const filters = Object.entries(call.query).filter(
      ([name, value]) => !PAGING.has(name) && fields.has(name) && typeof value !== 'object',
    );
    const all = [...call.partition.all(this.key(collection, call))]
      .filter((record) => filters.every(([name, value]) => name in record && String(record[name]) === String(value)))
      .filter((record) => !collection.list!.hidesArchived || record.archivedAt === undefined || isTrue(call.query.includeArchived))
      .filter((record) => rules?.matches?.(record, call.query, call.partition) ?? true);
    return slicePage(all, call.query, collection.list!.defaultOrder);
  }

  private findItemFields(collection: Collection): Set<string> {
    const schema = collection.list?.responseSchema ? this.conformer.schema(collection.list.responseSchema) : undefined;
    return schema ? this.conformer.properties(this.conformer.itemsOf(this.conformer.child(schema, 'items'))) : new Set();
  }

  /**
   * `GET <path>/for-<thing>/{id}`: the records whose `<thing>Id` is the id, as a page where the
   * operation answers one, else the first of them (a 404 naming the id when there is none).
   */
  lookup(collection: Collection, call: Call): unknown {
    const { operation } = call;
    const field = collection.lookups.find((l) => l.operation === operation)!.field;
    const id = Object.values(call.params)[0] ?? '';
    const presented = this.rules.get(collection.name)?.presented;
    const found = call.partition.all(this.key(collection, call)).filter((record) => record[field] === id);
    const example = this.example(operation, call.example);
    if (isObject(example) && Array.isArray(example.items))
      return this.answerList(collection, call, { items: found, pagination: { totalResultSize: found.length } }, operation);
    const [record] = found;
    if (!record)
      throw new NotFound({
        path: `/path/${Object.keys(call.params)[0] ?? 'id'}`,
        message: `no ${collection.name.slice(1)} item for ${field} ${id}`,
      });
    return call.shape(presented ? { ...record, ...presented(record, call) } : record);
  }

  /** A list page as the list operation (or another answering a page of these records) answers it, each item fitted to its item schema. */
  answerList(collection: Collection, call: Call, page: { items: StoredRecord[]; pagination: Json }, operation?: OperationInfo): unknown {
    const list = operation ?? collection.list!;
    const base = this.example(list, call.example);
    const schema = list.responseSchema ? this.conformer.schema(list.responseSchema) : undefined;
    const itemSchema = schema ? this.conformer.itemsOf(this.conformer.child(schema, 'items')) : undefined;
    const exampleItems = this.bases(list, call.example).map((b): unknown =>
      isObject(b) && Array.isArray(b.items) ? (b.items as unknown[])[0] : undefined,
    );
    const presented = this.rules.get(collection.name)?.presented;
    const items = page.items.map((stored) => {
      const record = presented ? { ...stored, ...presented(stored, call) } : stored;
      const view = asAccount(record, call.accountId);
      return isObject(itemSchema)
        ? this.conformer.fitBest(
            itemSchema,
            exampleItems.map((item) => this.conformer.minimal(itemSchema, item)),
            view,
          )
        : view;
    });
    return list.responseSchema
      ? this.conformer.fit(list.responseSchema, { ...(isObject(base) ? base : {}), items: [] }, { items, pagination: page.pagination })
      : undefined;
  }
}
