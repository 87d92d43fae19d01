// Every operation that neither a hand-written module nor a collection serves answers its documented
// example for its success status, as Prism does, with what a client would notice made right: a
// created resource (201) gets a fresh id and fresh timestamps, so two creates never share an id; an
// item read answers the id it was asked for. `Prefer: example=<name>` picks a named example.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isObject, type Conformer } from '../contract/conform.js';
import { chosenExample, freshFields, type OperationInfo } from '../contract/operations.js';
import { matchedOperation, operationKey } from '../http/openapi.js';

type Json = Record<string, unknown>;

export interface ExampleDeps {
  now(): Date;
  newId(): string;
}

export function exampleRoutes(
  operations: readonly OperationInfo[],
  conformer: Conformer,
  deps: ExampleDeps = { now: () => new Date(), newId: randomUUID },
): RequestHandler {
  const byKey = new Map(operations.map((operation) => [operationKey(operation.method, operation.path), operation]));
  return (req, res, next) => {
    const matched = matchedOperation(req);
    const operation = matched && byKey.get(matched.key);
    if (!matched || !operation) return next();
    if (!operation.responseSchema) return void res.status(operation.status).end();
    const example = chosenExample(operation, res.locals.preferExample as string | undefined);
    let overlay: Json = {};
    if (isObject(example)) {
      if (operation.status === 201) {
        const { id, ...timestamps } = freshFields(example, deps.now().toISOString(), () => deps.newId());
        overlay = { ...('id' in example && { id }), ...timestamps };
      } else if (typeof matched.params.id === 'string' && 'id' in example) {
        overlay.id = matched.params.id;
      }
    }
    res.status(operation.status).json(conformer.fit(operation.responseSchema, example, overlay));
  };
}
