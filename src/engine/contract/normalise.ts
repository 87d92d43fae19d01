// Sequence's document as published, made loadable and made to accept what real clients send. The one
// place the published text is reinterpreted; each step names the construct and why. The document on
// disk is never edited: this runs on the parsed copy at load time.
import { HTTP_METHODS } from './served.js';
import type { Operation, OpenApiDocument } from './types.js';

type Json = Record<string, unknown>;

/**
 * 1. `nullable: true` beside a `$ref`. OpenAPI 3.0 ignores a $ref's siblings, and ajv (inside
 *    express-openapi-validator) refuses `nullable` without `type`, so as published every request
 *    was a 500 (11 properties in 2024-07-30). Sequence's intent is plainly "this or null" ("Null
 *    disables retries"), so that is what it becomes: accepting null is valid under both readings for
 *    requests, and the fake never sends null.
 */
function nullableRefs(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nullableRefs);
  if (typeof node !== 'object' || node === null) return;
  const object = node as Json;
  if (typeof object.$ref === 'string' && 'nullable' in object) {
    const reference = { $ref: object.$ref };
    if (object.nullable === true) object.anyOf = [reference, { enum: [null] }];
    else object.allOf = [reference];
    delete object.$ref;
    delete object.nullable;
    return;
  }
  for (const value of Object.values(object)) nullableRefs(value);
}

/**
 * 2. Query values as clients write them. Every form encoder (URLSearchParams, Go's url.Values, hey-api)
 *    sends a space as `+`, and openapi-fetch leaves `'()!*` unencoded; the validator refuses any
 *    reserved character unless the parameter says `allowReserved`. Sequence answers such requests,
 *    so every query parameter allows them (express's parser still decodes `+` and `%XX`).
 */
function reservedCharactersInQueries(operation: Operation): void {
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'query') parameter.allowReserved = true;
  }
}

/**
 * 3. HEAD wherever GET is: HTTP says a server that answers GET answers HEAD, and express does, but
 *    the validator only knows the methods the document names (a HEAD was a 405).
 */
function headBesideGet(item: Record<string, unknown>): void {
  if (item.get && !item.head)
    item.head = { ...(item.get as Operation), operationId: `head${capitalise((item.get as Operation).operationId ?? '')}` };
}
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * 4. An object schema with an `enum` of strings. `Role` (2024-07-30) is `type: object` with its
 *    allowed values listed as JSON text: no value can be both, so every user (its `roles`) breaks the
 *    document, its own examples included. The examples show the objects those strings encode, so the
 *    enum is read as documentation and the object type kept: valid under both readings for requests,
 *    and the fake answers the documented objects.
 */
function objectEnumsOfStrings(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(objectEnumsOfStrings);
  if (typeof node !== 'object' || node === null) return;
  const object = node as Json;
  if (object.type === 'object' && Array.isArray(object.enum) && object.enum.every((v) => typeof v === 'string')) delete object.enum;
  for (const [key, value] of Object.entries(object)) if (key !== 'example' && key !== 'examples') objectEnumsOfStrings(value);
}

/**
 * 5. A map whose values are `{type: object}` and nothing else. `propertyFilters` of usage metrics
 *    (2024-07-30) says so while every example of it, requests and responses, maps a property to an
 *    array of values (`{"channels": ["text", "email"]}`), so the document's own example request was a
 *    400. Such a map's values are read as any JSON value: valid under both readings.
 */
function untypedMapValues(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(untypedMapValues);
  if (typeof node !== 'object' || node === null) return;
  const object = node as Json;
  const values = object.additionalProperties as Json | undefined;
  if (typeof values === 'object' && values !== null && values.type === 'object' && Object.keys(values).length === 1)
    object.additionalProperties = {};
  for (const [key, value] of Object.entries(object)) if (key !== 'example' && key !== 'examples') untypedMapValues(value);
}

/** Applies every step in place and returns the document. */
export function normalise(document: OpenApiDocument): OpenApiDocument {
  nullableRefs(document.components);
  nullableRefs(document.paths);
  objectEnumsOfStrings(document.components);
  untypedMapValues(document.components);
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) reservedCharactersInQueries(operation);
    }
    headBesideGet(item);
  }
  return document;
}
