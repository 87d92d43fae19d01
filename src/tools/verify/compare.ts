// Two answers to the same request, one from Sequence and one from the fake, compared for what a client
// depends on: the status, the Sequence-Version header, the body's shape (field sets, JSON types, enum
// values, the error envelope) and what ids refer to. Generated values (ids, timestamps, cursors, names)
// are never compared as values: an id is compared by what it stands for in the scenario, so "the
// child's parent is the parent" holds on both sides although the two ids differ.
import { isObject, type Conformer } from '../../engine/contract/conform.js';
import { escapeToken } from '../../engine/contract/pointer.js';

export interface Observed {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type DifferenceKind = 'status' | 'header' | 'envelope' | 'field' | 'type' | 'enum' | 'reference' | 'items' | 'order';

export interface Difference {
  step: string;
  /** The request, e.g. "GET /customers/{id}". */
  request: string;
  kind: DifferenceKind;
  /** Where: /status, /headers/<name> or /body/<JSON pointer>. */
  path: string;
  upstream: string;
  fake: string;
}

/**
 * Gives generated ids the same name on both sides, by where they first appear: the id in step
 * "create parent" at /body/id is the same name upstream and in the fake, whatever its value.
 */
export class References {
  private readonly upstream = new Map<string, string>();
  private readonly fake = new Map<string, string>();

  name(side: 'upstream' | 'fake', value: string): string | undefined {
    return (side === 'upstream' ? this.upstream : this.fake).get(value);
  }

  /** Names a pair of ids met at the same place on both sides; an id already named keeps its name. */
  pair(name: string, upstream: unknown, fake: unknown): void {
    if (typeof upstream === 'string' && !this.upstream.has(upstream)) this.upstream.set(upstream, name);
    if (typeof fake === 'string' && !this.fake.has(fake)) this.fake.set(fake, name);
  }
}

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;
const sameType = (a: string, b: string) => a === b || (a === 'integer' && b === 'number') || (a === 'number' && b === 'integer');
const pointer = (path: string, key: string | number) => `${path}/${escapeToken(key)}`;
const show = (value: unknown): string => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));
const isIdKey = (key: string | number | undefined) => typeof key === 'string' && (key === 'id' || /Id$/.test(key));

export interface CompareContext {
  step: string;
  request: string;
  /** The response schema of the operation for this status (a pointer into the document), if documented. */
  schema: string | undefined;
  conformer: Conformer;
  references: References;
}

export function compareObserved(upstream: Observed, fake: Observed, context: CompareContext): Difference[] {
  const found: Difference[] = [];
  const report = (kind: DifferenceKind, path: string, u: string, f: string) =>
    found.push({ step: context.step, request: context.request, kind, path, upstream: u, fake: f });
  // Bodies of different statuses are different documents: the status says it all.
  if (upstream.status !== fake.status) {
    report('status', '/status', String(upstream.status), String(fake.status));
    return found;
  }
  for (const header of ['sequence-version', 'content-type'] as const) {
    const u = header === 'content-type' ? mediaType(upstream.headers[header]) : upstream.headers[header];
    const f = header === 'content-type' ? mediaType(fake.headers[header]) : fake.headers[header];
    if (u !== f) report('header', `/headers/${header}`, show(u), show(f));
  }
  if (upstream.status >= 400 && !sameEnvelope(upstream.body, fake.body)) {
    report('envelope', '/body', envelopeOf(upstream.body), envelopeOf(fake.body));
    return found;
  }
  const schema = context.schema === undefined ? undefined : context.conformer.schema(context.schema);
  walk(upstream.body, fake.body, '/body', schema, undefined);
  return found;

  function walk(u: unknown, f: unknown, path: string, schema: unknown, key: string | number | undefined): void {
    const tu = typeOf(u);
    const tf = typeOf(f);
    if (!sameType(tu, tf)) return void report('type', path, tu, tf);
    if (tu === 'object') return objects(u as Record<string, unknown>, f as Record<string, unknown>, path, schema);
    if (tu === 'array') return arrays(u as unknown[], f as unknown[], path, schema, key);
    if (tu === 'boolean' && u !== f) return void report('enum', path, show(u), show(f));
    if (tu !== 'string') return;
    const enumeration = enumOf(schema);
    if (enumeration && u !== f) return void report('enum', path, show(u), show(f));
    // The error envelope's type is Sequence's code for what went wrong: compared like an enum.
    if (path === '/body/error/type' && u !== f) return void report('enum', path, show(u), show(f));
    const nu = context.references.name('upstream', u as string);
    const nf = context.references.name('fake', f as string);
    if (nu !== undefined || nf !== undefined) {
      if (nu !== nf) report('reference', path, nu ?? 'another id', nf ?? 'another id');
    } else if (isIdKey(key)) {
      context.references.pair(`${context.step} ${path}`, u, f);
    }
  }

  function objects(u: Record<string, unknown>, f: Record<string, unknown>, path: string, schema: unknown): void {
    for (const key of Object.keys(u)) if (!(key in f)) report('field', pointer(path, key), 'present', 'missing');
    for (const key of Object.keys(f)) if (!(key in u)) report('field', pointer(path, key), 'missing', 'present');
    for (const key of Object.keys(u)) {
      if (key in f) walk(u[key], f[key], pointer(path, key), schema === undefined ? undefined : context.conformer.child(schema, key), key);
    }
  }

  function arrays(u: unknown[], f: unknown[], path: string, schema: unknown, key: string | number | undefined): void {
    const items = schema === undefined ? undefined : context.conformer.itemsOf(schema);
    // Items that are resources the scenario made are paired by what they are, not by position:
    // two made within a millisecond may list in either order on either side.
    const names = (side: 'upstream' | 'fake', list: unknown[]) =>
      list.map((item) => (isObject(item) && typeof item.id === 'string' ? context.references.name(side, item.id) : undefined));
    const nu = names('upstream', u);
    const nf = names('fake', f);
    const named = (list: (string | undefined)[]) => list.every((n) => n !== undefined) && new Set(list).size === list.length;
    if (u.length > 0 && f.length > 0 && named(nu) && named(nf)) {
      const missing = nu.filter((n) => !nf.includes(n));
      const extra = nf.filter((n) => !nu.includes(n));
      if (missing.length > 0 || extra.length > 0) report('items', path, nu.join(', '), nf.join(', '));
      else if (nu.join('\n') !== nf.join('\n')) report('order', path, nu.join(', '), nf.join(', '));
      for (const [i, name] of nu.entries()) {
        const j = nf.indexOf(name);
        if (j >= 0) walk(u[i], f[j], pointer(path, i), items, key);
      }
      return;
    }
    if (u.length !== f.length) report('items', path, `${u.length} items`, `${f.length} items`);
    for (let i = 0; i < Math.min(u.length, f.length); i += 1) walk(u[i], f[i], pointer(path, i), items, key);
  }

  function enumOf(schema: unknown): unknown[] | undefined {
    const resolved = context.conformer.resolve(schema);
    if (!isObject(resolved)) return undefined;
    if (Array.isArray(resolved.enum)) return resolved.enum as unknown[];
    for (const part of [resolved.allOf, resolved.oneOf, resolved.anyOf].flat()) {
      const found = part === undefined ? undefined : enumOf(part);
      if (found) return found;
    }
    return undefined;
  }
}

const mediaType = (value: string | undefined) => value?.split(';')[0]?.trim().toLowerCase();

/** An error body's outline: its top-level fields, and the error object's, as `{error: {message, type}}`. */
function envelopeOf(body: unknown): string {
  if (!isObject(body)) return typeOf(body);
  const inner = (value: unknown) => (isObject(value) ? `{${Object.keys(value).sort().join(', ')}}` : typeOf(value));
  return `{${Object.keys(body)
    .sort()
    .map((key) => `${key}: ${inner(body[key])}`)
    .join(', ')}}`;
}

/** Sequence's documented envelope is {"error": {"type", "message"}}: the same outline on both sides, or not. */
function sameEnvelope(u: unknown, f: unknown): boolean {
  const outline = (body: unknown) =>
    isObject(body) && isObject(body.error) ? ['error', typeof body.error.type, typeof body.error.message].join() : envelopeOf(body);
  return outline(u) === outline(f);
}
