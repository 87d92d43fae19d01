// Sequence's older API versions as views over the one store, as Stripe versions its API: a request
// made under 2024-05-09 to an operation the current version also has is answered by the current
// version's engine, its body put in the current shape first and the answer put back in the
// version's own shape; an operation only that version has is answered by an engine over its own
// document. What the documents say does the mapping (same-named fields pass both ways, and the
// version's required fields come from its own examples); a resource adds, in its plug-in
// (Plugin.versions), only what they cannot say: a field renamed or split, a body wrapped.
import { accountIdOf } from './account.js';
import { isObject, type Conformer } from './contract/conform.js';
import { pathShape, primaryExample, type OperationInfo } from './contract/operations.js';
import { pointer } from './contract/pointer.js';
import { Engine, operationKey, type CallRequest, type EngineDocument } from './engine.js';
import type { Answer, Json, Plugin, VersionMapping, VersionCall } from './plugin.js';
import { collection, type StoredRecord } from './store/types.js';

/**
 * Fields a client sent under an older version that the current version has no place for (a
 * customer's `telephone` in 2024-05-09), by the record's id: that version's answers carry them
 * again, so what a client wrote, it reads back.
 */
const KEPT = collection<StoredRecord & { fields: Json }>('/__versions/fields');

const paramsOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
/** A schema's component name, when it is a $ref. */
const refNameOf = (schema: unknown) => (isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined);

interface Shared {
  /** The current version's operation key, and its path parameters in order. */
  key: string;
  params: string[];
  /** This version's path parameters in order. */
  own: string[];
  /** The fields the current version's answer carries: what a write sent beyond them is kept. */
  carried: ReadonlySet<string>;
}

export class VersionView {
  /** The version's own operations, over its own document (no plug-in rules: they are the current version's). */
  private readonly own: Engine;
  private readonly shared = new Map<string, Shared>();
  private readonly requests: NonNullable<VersionMapping['requests']>;
  private readonly answers: NonNullable<VersionMapping['answers']>;

  constructor(
    readonly version: string,
    private readonly document: EngineDocument,
    private readonly current: { engine: Engine; document: EngineDocument },
    plugins: readonly Plugin[],
  ) {
    this.own = new Engine(document, []);
    // /customers/{id} and /customers/{customerId} are one path.
    const byShape = new Map(current.document.operations.map((o) => [`${o.method} ${pathShape(o.path)}`, o]));
    const { conformer } = current.document;
    for (const operation of document.operations) {
      const same = byShape.get(`${operation.method} ${pathShape(operation.path)}`);
      if (same)
        this.shared.set(operationKey(operation.method, operation.path), {
          key: operationKey(same.method, same.path),
          params: paramsOf(same.path),
          own: paramsOf(operation.path),
          carried: same.responseSchema ? conformer.properties(conformer.schema(same.responseSchema)) : new Set(),
        });
    }
    const mappings: VersionMapping[] = plugins.map((plugin) => plugin.versions?.[version] ?? {});
    this.requests = Object.fromEntries(mappings.flatMap((m) => Object.entries(m.requests ?? {})));
    this.answers = Object.fromEntries(mappings.flatMap((m) => Object.entries(m.answers ?? {})));
  }

  get conformer(): Conformer {
    return this.document.conformer;
  }

  /** The version's operation at `key`, if it has one. */
  operation(key: string): OperationInfo | undefined {
    return this.own.operation(key);
  }

  /** Answers a request made under this version; undefined when the version has no such operation. */
  answer(key: string, request: CallRequest): (Answer & { status: number }) | undefined {
    const operation = this.own.operation(key);
    if (!operation) return undefined;
    const shared = this.shared.get(key);
    if (!shared) return this.own.answer(key, request);
    const call: VersionCall = { partition: request.partition, clientId: request.clientId };
    const params = Object.fromEntries(shared.params.map((name, i) => [name, request.params[shared.own[i]!] ?? '']));
    const answer = this.current.engine.answer(shared.key, { ...request, params, body: this.requestIn(operation, request.body, call) });
    if (!answer || answer.body === undefined) return answer;
    if (answer.changed && answer.status < 300) this.keep(shared.carried, request, answer.body);
    const documented = this.conformer.response(operation.method, operation.path, answer.status);
    if (!documented?.schema) return answer;
    const example = answer.status === operation.status ? this.exampleOf(operation, request.example) : undefined;
    // By reference where the document names the schema, so a resource's mapping for it applies.
    const name = this.conformer.refName(documented.schema);
    const schema = name === undefined ? this.conformer.schema(documented.schema) : { $ref: `#/components/schemas/${name}` };
    return { ...answer, body: this.shape(schema, answer.body, example, call) };
  }

  /** Keeps what a create or update sent that the current version's answer cannot carry back. */
  private keep(carried: ReadonlySet<string>, request: CallRequest, body: unknown): void {
    const id = isObject(body) && typeof body.id === 'string' ? body.id : Object.values(request.params)[0];
    if (!isObject(request.body) || id === undefined) return;
    const kept = Object.fromEntries(Object.entries(request.body).filter(([field]) => !carried.has(field)));
    if (Object.keys(kept).length === 0) return;
    const before = request.partition.get(KEPT, id)?.fields ?? {};
    request.partition.put(KEPT, { id, fields: { ...before, ...kept } });
  }

  /** The version's request body in the current version's shape: the resource's mapping where it has one, else as sent. */
  private requestIn(operation: OperationInfo, body: unknown, call: VersionCall): unknown {
    if (!isObject(body)) return body;
    const schema = this.conformer.schema(pointer('paths', operation.path, operation.method, 'requestBody', 'content', 'application/json'));
    // By the body schema's name, or the operation's id where the body is written inline (a oneOf).
    const mapping = this.requests[refNameOf(schema?.schema) ?? operation.operationId];
    return mapping ? mapping(body, call) : body;
  }

  private exampleOf(operation: OperationInfo, name: string | undefined): unknown {
    return (name !== undefined && operation.examples.get(name)) || primaryExample(operation);
  }

  /**
   * A current answer in this version's shape, level by level: the resource's mapping for the
   * schema's name first; a list item by item; an object field by field, then fitted to the schema
   * over the version's example (so a field only this version requires comes from its example), in
   * the caller's account.
   */
  private shape(schema: unknown, value: unknown, example: unknown, call: VersionCall): unknown {
    const conformer = this.conformer;
    const name = refNameOf(schema);
    const mapping = name === undefined ? undefined : this.answers[name];
    const kept = isObject(value) && typeof value.id === 'string' ? call.partition.get(KEPT, value.id)?.fields : undefined;
    const withKept = kept && isObject(value) ? { ...kept, ...value } : value;
    const mapped = mapping && isObject(withKept) ? mapping(withKept, call) : withKept;
    const resolved = conformer.resolve(schema);
    if (!isObject(resolved)) return mapped;
    if (Array.isArray(mapped)) {
      const items = conformer.itemsOf(resolved);
      return mapped.map((item) => this.shape(items, item, Array.isArray(example) ? example[0] : undefined, call));
    }
    if (!isObject(mapped)) return mapped;
    const properties = conformer.properties(resolved);
    // A schema that names no field (`items: {}`) says nothing to shape by: the value stands.
    if (properties.size === 0) return mapped;
    // A body this version wraps ({"customer": {...}}) around what the current version answers bare.
    const required = [...conformer.required(resolved)];
    const wrapped =
      required.length === 1 &&
      !(required[0]! in mapped) &&
      properties.size === 1 &&
      isObject(conformer.resolve(conformer.child(resolved, required[0]!)))
        ? { [required[0]!]: mapped }
        : mapped;
    // The operation's example where it has one, else the schema's own (older documents keep theirs there).
    const own = isObject(schema) && isObject(schema.example) ? schema.example : resolved.example;
    // Cut to what the schema requires, as the engine's answers are: an optional field of the example
    // (its archivedAt, its line2) is not the record's.
    const documented = isObject(example) ? example : isObject(own) ? own : undefined;
    const cut = documented && conformer.minimal(resolved, documented);
    const base = isObject(cut) ? cut : undefined;
    const fields: Json = {};
    for (const field of properties)
      if (field in wrapped) fields[field] = this.shape(conformer.child(resolved, field), wrapped[field], base?.[field], call);
    if (properties.has('sequenceAccountId')) fields.sequenceAccountId = accountIdOf(call.clientId);
    return conformer.fit(resolved, base, fields);
  }
}
