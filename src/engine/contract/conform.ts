// Answers that conform to the document by construction. A stored resource is answered as the
// operation's documented example with the record's fields laid over it, keeping only the fields the
// schema allows and whose values it accepts; anything else stays as the example has it. Schemas are
// compiled on first use (draft-04 ajv, as express-openapi-validator uses for OpenAPI 3.0), so
// start-up does not grow with the document.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { OpenApiDocument } from './types.js';
import { pointer, unescapeToken } from './pointer.js';

type Json = Record<string, unknown>;
// ajv-draft-04 and ajv-formats are CommonJS with a default export; required so that both load as
// their authors ship them, without a bundler's interop.
const require = createRequire(import.meta.url);
interface AjvLike {
  addSchema(schema: unknown, key: string): void;
  compile(schema: unknown): ValidateFunction;
}
const AjvDraft04 = (require('ajv-draft-04') as { default: new (options: object) => AjvLike }).default;
const addFormats = (require('ajv-formats') as { default: (ajv: AjvLike) => void }).default;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON pointer (#/a/b~1c, or /a/b~1c) read from a document or any JSON value. */
export function at(document: unknown, pointer: string): unknown {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(unescapeToken)
    .reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Json)[key] : undefined), document);
}

/**
 * A deep copy of what validation reads: without examples (`example`, `examples`) and without the
 * documentation strings (`description`, `summary`, `title`). With Sequence's document that is 0.42 MB
 * of its 1.5 MB, and the validator copies and walks what it is given several times as it starts. A
 * property, schema or other entry that is merely named so is kept: only a `properties` map's keys
 * are names among these, and documentation strings are strings, never schemas.
 */
export function forValidation(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => forValidation(item));
  if (!isObject(node)) return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (!inProperties && (key === 'example' || key === 'examples')) continue;
    if (!inProperties && DOCUMENTATION.has(key) && typeof value === 'string') continue;
    copy[key] = forValidation(value, !inProperties && key === 'properties');
  }
  return copy;
}
const DOCUMENTATION = new Set(['description', 'summary', 'title']);

export class Conformer {
  private ajv: AjvLike | undefined;
  /** By pointer, and by the schema object itself for schemas met inside others (no key to compute per call). */
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly inline = new WeakMap<Json, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {}

  /**
   * The answer an operation documents for a status: the status itself, else its class (4XX), else
   * `default`; with the pointer to its JSON body's schema when it has one. Undefined when none is.
   */
  response(method: string, path: string, status: number): { code: string; schema: string | undefined } | undefined {
    const responses = pointer('paths', path, method.toLowerCase(), 'responses');
    const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => this.schema(`${responses}/${c}`) !== undefined);
    if (code === undefined) return undefined;
    const schema = `${responses}/${code}/content/application~1json/schema`;
    return { code, schema: this.schema(schema) ? schema : undefined };
  }

  /** Schemas found by pointer, and `$ref` targets: a pointer is read once, not split and unescaped on every answer. */
  private readonly byPointer = new Map<string, Json | undefined>();
  private readonly refs = new Map<string, unknown>();

  /** The schema at a pointer, with `$ref`s followed. */
  schema(pointer: string): Json | undefined {
    if (this.byPointer.has(pointer)) return this.byPointer.get(pointer);
    const found = this.resolve(at(this.document, pointer));
    const schema = isObject(found) ? found : undefined;
    this.byPointer.set(pointer, schema);
    return schema;
  }

  /** The component a pointer's schema refers to (`BillingScheduleResponse`), if it is a `$ref`. */
  refName(pointer: string): string | undefined {
    const found = at(this.document, pointer);
    return isObject(found) && typeof found.$ref === 'string' ? found.$ref.split('/').pop() : undefined;
  }

  /** A schema with `$ref`s followed. */
  resolve(schema: unknown, depth = 0): unknown {
    if (depth < 32 && isObject(schema) && typeof schema.$ref === 'string') {
      const ref = schema.$ref;
      if (!this.refs.has(ref)) this.refs.set(ref, at(this.document, ref));
      return this.resolve(this.refs.get(ref), depth + 1);
    }
    return schema;
  }

  /** The property names a schema allows at its top level (through allOf, oneOf and anyOf). */
  properties(schema: unknown, depth = 0): Set<string> {
    const resolved = this.resolve(schema);
    const names = new Set<string>();
    if (!isObject(resolved) || depth > 8) return names;
    for (const name of Object.keys(isObject(resolved.properties) ? resolved.properties : {})) names.add(name);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      const parts = resolved[key];
      if (Array.isArray(parts)) for (const part of parts) for (const name of this.properties(part, depth + 1)) names.add(name);
    }
    return names;
  }

  /** The property names a schema requires at its top level (through allOf). */
  required(schema: unknown, depth = 0): Set<string> {
    const resolved = this.resolve(schema);
    const names = new Set<string>();
    if (!isObject(resolved) || depth > 8) return names;
    if (Array.isArray(resolved.required)) for (const name of resolved.required) if (typeof name === 'string') names.add(name);
    if (Array.isArray(resolved.allOf))
      for (const part of resolved.allOf) for (const name of this.required(part, depth + 1)) names.add(name);
    return names;
  }

  /** The schema of an array's items, or of a property, as a pointer-free schema object. */
  child(schema: unknown, property: string): unknown {
    const resolved = this.resolve(schema);
    if (!isObject(resolved)) return undefined;
    const own = isObject(resolved.properties) ? resolved.properties[property] : undefined;
    if (own !== undefined) return own;
    for (const part of [resolved.allOf, resolved.oneOf, resolved.anyOf].flat()) {
      const found = Array.isArray(part) ? undefined : this.child(part, property);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  itemsOf(schema: unknown): unknown {
    const resolved = this.resolve(schema);
    return isObject(resolved) ? resolved.items : undefined;
  }

  /** Errors of `value` against `schema` (a pointer or a schema object), none when it conforms. */
  errors(schema: string | Json, value: unknown): ErrorObject[] {
    let validate = typeof schema === 'string' ? this.validators.get(schema) : this.inline.get(schema);
    if (!validate) {
      validate = this.compiler().compile(typeof schema === 'string' ? { $ref: `sequence${schema}` } : this.rooted(schema));
      if (typeof schema === 'string') this.validators.set(schema, validate);
      else this.inline.set(schema, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  /** A schema object from inside the document, its local references pointed at the document. */
  private rooted(schema: unknown): Json {
    const text = JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"sequence#/');
    return JSON.parse(text) as Json;
  }

  private compiler(): AjvLike {
    if (!this.ajv) {
      this.ajv = new AjvDraft04({ strict: false, allErrors: true, validateSchema: false, logger: false });
      addFormats(this.ajv);
      // Without examples: ajv reads every `id` key it meets as a draft-04 schema id, examples' included
      // (express-openapi-validator strips them for the same reason).
      this.ajv.addSchema(forValidation(this.document), 'sequence');
    }
    return this.ajv;
  }

  /** An example cut down to the fields its schema requires, when that still conforms; the example otherwise. */
  minimal(schema: string | Json, example: unknown): unknown {
    const resolved = typeof schema === 'string' ? this.schema(schema) : this.resolve(schema);
    if (!isObject(example) || !isObject(resolved)) return example;
    const required = this.required(resolved);
    const cut = Object.fromEntries(Object.entries(example).filter(([key]) => required.has(key)));
    return this.errors(typeof schema === 'string' ? schema : resolved, cut).length === 0 ? cut : example;
  }

  /**
   * The best of several documented examples for a record: the one that keeps the most of its fields
   * (a one-time price answers in the shape of the one-time example, not the graduated one).
   */
  fitBest(schema: string | Json, bases: readonly unknown[], overlay: Json): unknown {
    let best: { result: unknown; kept: number } | undefined;
    for (const base of bases) {
      const result = this.fit(schema, base, overlay);
      const kept = isObject(result)
        ? Object.keys(overlay).filter((k) => JSON.stringify(result[k]) === JSON.stringify(overlay[k])).length
        : 0;
      if (!best || kept > best.kept) best = { result, kept };
    }
    return best ? best.result : this.fit(schema, undefined, overlay);
  }

  /**
   * `base` (a documented example) with `overlay`'s fields over it: only fields the schema names, and
   * only where the result still conforms; a field the schema refuses keeps the example's value (or
   * goes, if the example has none). An optional field of the example that its own schema refuses
   * (the document contradicts itself in a few places) is left out.
   */
  fit(schema: string | Json, base: unknown, overlay: Json): unknown {
    const resolved = typeof schema === 'string' ? this.schema(schema) : this.resolve(schema);
    if (!isObject(resolved)) return base;
    const start = isObject(base) ? base : {};
    const allowed = new Set([...Object.keys(start), ...this.properties(resolved)]);
    const candidate: Json = { ...start };
    const laid = new Set<string>();
    for (const [key, value] of Object.entries(overlay)) {
      if (value === undefined || !allowed.has(key)) continue;
      candidate[key] = value;
      laid.add(key);
    }
    const required = this.required(resolved);
    const validateWith = typeof schema === 'string' ? schema : resolved;
    // Reverting every field an error names would undo good ones too: a oneOf reports every branch's
    // complaints. So one field at a time, the one whose reverting leaves the fewest errors.
    const revert = (from: Json, key: string): Json => {
      const next = { ...from };
      if (laid.has(key) && key in start) next[key] = start[key];
      else delete next[key];
      return next;
    };
    let current = candidate;
    let errors = this.errors(validateWith, current);
    for (let round = 0; round < 32 && errors.length > 0; round += 1) {
      const blamed = new Set<string>();
      for (const error of errors) {
        const key = error.instancePath.split('/')[1] ?? (error.params as { missingProperty?: string }).missingProperty;
        if (key !== undefined && key in current && (laid.has(key) || !required.has(key))) blamed.add(key);
      }
      let best: { key: string; next: Json; errors: ErrorObject[] } | undefined;
      for (const key of blamed) {
        const next = revert(current, key);
        const left = this.errors(validateWith, next);
        if (!best || left.length < best.errors.length) best = { key, next, errors: left };
        if (left.length === 0) break;
      }
      if (!best || best.errors.length >= errors.length) break;
      laid.delete(best.key);
      current = best.next;
      errors = best.errors;
    }
    return current;
  }
}
