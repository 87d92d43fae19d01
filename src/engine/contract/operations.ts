// What the document says about each operation, read once: its success status, its documented
// examples, where its response schema is, and which operations together make a collection (create,
// read, list, update, remove). Nothing here is listed by hand, so a re-imported document brings its
// new operations and collections with it.
import { RuleViolation } from '../errors.js';
import { HTTP_METHODS } from './served.js';
import type { Operation, OpenApiDocument } from './types.js';
import { pointer } from './pointer.js';

export interface OperationInfo {
  /** Lower case, as in the document. */
  method: string;
  /** The document's path, e.g. /tax-rates/{id}. */
  path: string;
  operationId: string;
  tags: string[];
  /** The status a success answers with: the operation's lowest 2xx. */
  status: number;
  /** JSON pointer to the success response's schema; undefined when it has no JSON body. */
  responseSchema: string | undefined;
  /** The success response's documented examples by name; a lone `example` is named "default". */
  examples: ReadonlyMap<string, unknown>;
  /** The request body's documented example, if it takes one. */
  requestExample: unknown;
  hasBody: boolean;
  /** The order a list answers in when the request names none: its sortOrder parameter's documented default ("Default: DESC"), else oldest first. */
  defaultOrder: 'ASC' | 'DESC';
  /** A list with an `includeArchived` parameter leaves archived records out unless it is true. */
  hidesArchived: boolean;
}

/** A resource the document lets a client create and read back; the fake keeps its records. */
export interface Collection {
  /** The collection's path, which also names it in the store, e.g. /tax-rates or /invoices/{invoice}/line-items. */
  name: string;
  /** Its item path, e.g. /tax-rates/{id}, and the path parameter naming the item. */
  itemPath: string | undefined;
  itemParam: string | undefined;
  /** For a collection under another's item (line items of an invoice): that collection and the parameter naming its item. */
  parent: { collection: string; param: string } | undefined;
  /**
   * Undefined for a resource the API lists and reads but never creates (users, accounts, discounts,
   * activity logs): its records are the document's own examples, loaded into each partition as
   * fixtures (src/engine/fixtures.ts), or made by a plug-in from other records.
   */
  create: OperationInfo | undefined;
  list: OperationInfo | undefined;
  read: OperationInfo | undefined;
  update: OperationInfo | undefined;
  /** PATCH on the item: a partial update, kept like an update. */
  patch: OperationInfo | undefined;
  remove: OperationInfo | undefined;
  /** POST <item>/archive. */
  archive: OperationInfo | undefined;
  /** Other operations on an item (POST <item>/finalize, /void, ...): answered from the record. */
  actions: OperationInfo[];
  /** One record per account (settings): `list` answers that record itself, not a page. */
  single?: boolean;
  /**
   * `GET <path>/for-<thing>/{id}`: the records whose `<thing>Id` is the id (a page where the answer
   * is one, else the one record).
   */
  lookups: { operation: OperationInfo; field: string }[];
}

const METHODS = new Set<string>(HTTP_METHODS);
/** "Sort order. Default: DESC (...)", "Defaults to `DESC`": the default a list's sortOrder parameter documents. */
function documentedOrder(parameters: readonly unknown[] | undefined): 'ASC' | 'DESC' {
  const sortOrder = (parameters ?? []).find(
    (p): p is { name: string; description?: unknown } => (p as { name?: unknown }).name === 'sortOrder',
  );
  const text = typeof sortOrder?.description === 'string' ? sortOrder.description : '';
  return /default(?:s to)?:?\s*`?DESC/i.test(text) ? 'DESC' : 'ASC';
}

/** The path's shape, parameters unnamed: /invoices/{invoice} and /invoices/{id} are the same item path. */
export const pathShape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
const lastParam = (path: string) => /\/\{([^}]+)\}$/.exec(path)?.[1];

function examplesOf(media: { example?: unknown; examples?: Record<string, { value?: unknown }> } | undefined): Map<string, unknown> {
  const examples = new Map<string, unknown>();
  if (media?.example !== undefined) examples.set('default', media.example);
  for (const [name, example] of Object.entries(media?.examples ?? {})) if (example.value !== undefined) examples.set(name, example.value);
  return examples;
}

/** The example an operation answers with unless asked for another: `example`, else the first named one. */
export function primaryExample(operation: OperationInfo): unknown {
  return operation.examples.get('default') ?? operation.examples.values().next().value;
}

/** The example `Prefer: example=<name>` asks for, or the primary one; a name the operation does not document is a 400. */
export function chosenExample(operation: OperationInfo, name: string | undefined): unknown {
  if (name === undefined) return primaryExample(operation);
  if (!operation.examples.has(name)) {
    const message = `example=${name} is not an example of ${operation.operationId}; it has ${[...operation.examples.keys()].join(', ')}`;
    throw new RuleViolation([{ path: '/headers/prefer', message }]);
  }
  return operation.examples.get(name);
}

/** Fields a created resource gets fresh where its example has them: a new id, and the time for its timestamps. */
export function freshFields(example: unknown, now: string, newId: () => string): Record<string, unknown> {
  const fresh: Record<string, unknown> = { id: newId() };
  if (typeof example === 'object' && example !== null) {
    for (const field of ['createdAt', 'updatedAt', 'created', 'updated']) if (field in example) fresh[field] = now;
  }
  return fresh;
}

/** Every operation of the document, in its order. */
export function describeOperations(document: OpenApiDocument): OperationInfo[] {
  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.has(method) || method === 'head') continue;
      const operation = value as Operation & {
        requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> };
      };
      const successes = Object.keys(operation.responses ?? {})
        .filter((code) => /^2\d\d$/.test(code))
        .sort();
      const status = Number(successes[0] ?? 200);
      const media = operation.responses?.[String(status)]?.content?.['application/json'] as
        { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown }> } | undefined;
      const body = operation.requestBody?.content?.['application/json'];
      operations.push({
        method,
        path,
        operationId: operation.operationId ?? `${method.toUpperCase()} ${path}`,
        tags: operation.tags ?? [],
        status,
        responseSchema: media?.schema
          ? pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')
          : undefined,
        examples: examplesOf(media),
        requestExample: examplesOf(body).values().next().value,
        hasBody: body !== undefined,
        defaultOrder: documentedOrder(operation.parameters),
        hidesArchived: (operation.parameters ?? []).some((p) => (p as { name?: unknown }).name === 'includeArchived'),
      });
    }
  }
  return operations;
}

/**
 * The collections of the document: a path with a POST answering 201 (the create) whose records can be
 * read back, by a GET on the same path (the list) or on an item path below it (`<path>/{id}`). The item
 * path's PUT and PATCH update, its DELETE removes, `POST <item>/archive` archives; other operations under the
 * item are actions on it. A collection whose path runs through another's item (`/invoices/{invoice}/
 * line-items`) belongs to that item.
 */
export function describeCollections(operations: readonly OperationInfo[]): Collection[] {
  const at = (method: string, path: string) => operations.find((o) => o.method === method && pathShape(o.path) === pathShape(path));
  const collections: Collection[] = [];
  for (const create of operations) {
    if (create.method !== 'post' || create.status !== 201 || lastParam(create.path) !== undefined) continue;
    const itemOps = operations.filter((o) => pathShape(o.path) === `${pathShape(create.path)}/{}`);
    const itemPath = itemOps[0]?.path;
    const list = at('get', create.path);
    const read = itemOps.find((o) => o.method === 'get');
    if (!list && !read) continue; // nothing reads it back: its answers stay the documented examples
    const below = itemPath ? operations.filter((o) => o.path.startsWith(`${itemPath}/`) && o.method !== 'get') : [];
    collections.push({
      name: create.path,
      itemPath,
      itemParam: itemPath ? lastParam(itemPath) : undefined,
      parent: undefined,
      create,
      list,
      read,
      update: itemOps.find((o) => o.method === 'put'),
      patch: itemOps.find((o) => o.method === 'patch'),
      remove: itemOps.find((o) => o.method === 'delete'),
      archive: below.find((o) => o.method === 'post' && o.path === `${itemPath}/archive`),
      actions: below.filter((o) => o.path !== `${itemPath}/archive` && /^\/\w[\w-]*$/.test(o.path.slice(itemPath!.length))),
      lookups: operations.flatMap((o) => {
        const thing =
          o.method === 'get' && o.path.startsWith(`${create.path}/for-`)
            ? /^\/for-([a-z-]+)\/\{[^}]+\}$/.exec(o.path.slice(create.path.length))?.[1]
            : undefined;
        return thing ? [{ operation: o, field: `${thing.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Id` }] : [];
      }),
    });
  }
  // Lists nobody creates into: a parameterless path whose GET answers a page (`items`), read back by
  // item; and settings, one per account. Their records come from the document's examples (fixtures)
  // or from plug-ins.
  for (const list of operations) {
    if (list.method !== 'get' || list.path.includes('{') || collections.some((c) => c.name === list.path)) continue;
    if (operations.some((o) => o.path === list.path && o.method === 'post')) continue;
    const page = primaryExample(list);
    const itemOps = operations.filter((o) => pathShape(o.path) === `${pathShape(list.path)}/{}`);
    const itemPath = itemOps[0]?.path;
    const isObject = typeof page === 'object' && page !== null;
    // Settings: one record per account, read by GET <path> and changed by PUT <path>/{id}.
    const single = isObject && typeof (page as { id?: unknown }).id === 'string' && itemOps.some((o) => o.method === 'put');
    if (!single && !(isObject && Array.isArray((page as { items?: unknown }).items))) continue;
    // A list below a collection's path is a view of that collection (/invoices/list-summary).
    if (!single && collections.some((c) => c.create && list.path.startsWith(`${c.name}/`))) continue;
    collections.push({
      ...(single && { single }),
      name: list.path,
      itemPath,
      itemParam: itemPath ? lastParam(itemPath) : undefined,
      parent: undefined,
      create: undefined,
      list,
      read: itemOps.find((o) => o.method === 'get'),
      update: itemOps.find((o) => o.method === 'put'),
      patch: itemOps.find((o) => o.method === 'patch'),
      remove: itemOps.find((o) => o.method === 'delete'),
      archive: undefined,
      actions: [],
      lookups: [],
    });
  }
  for (const collection of collections) {
    const parentItem = collection.name.replace(/\/[^/]+$/, '');
    const parent = collections.find((c) => c.itemPath !== undefined && pathShape(c.itemPath) === pathShape(parentItem));
    if (parent) collection.parent = { collection: parent.name, param: lastParam(parentItem)! };
  }
  // An action path that is itself a collection (a nested create) is not an action.
  for (const collection of collections) collection.actions = collection.actions.filter((a) => !collections.some((c) => c.create === a));
  return collections;
}

const described = new WeakMap<OpenApiDocument, { operations: OperationInfo[]; collections: Collection[] }>();

/**
 * The operations and collections of a document, made once per document object: the app and the
 * fixtures (src/tools/admin/fixtures.ts) both need them at start-up. Paths under `/__` are the
 * fake's own (its admin API), not the vendor's.
 */
export function describeDocument(document: OpenApiDocument): { operations: OperationInfo[]; collections: Collection[] } {
  let made = described.get(document);
  if (!made) {
    const paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => !path.startsWith('/__')));
    const operations = describeOperations({ ...document, paths });
    described.set(document, (made = { operations, collections: describeCollections(operations) }));
  }
  return made;
}
