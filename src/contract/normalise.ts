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

/** Applies every step in place and returns the document. */
export function normalise(document: OpenApiDocument): OpenApiDocument {
  nullableRefs(document.components);
  nullableRefs(document.paths);
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) reservedCharactersInQueries(operation);
    }
    headBesideGet(item);
  }
  return document;
}
