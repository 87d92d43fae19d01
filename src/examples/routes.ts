// Every operation that neither a hand-written module nor a collection serves answers its documented
// example for its success status, as Prism does, with what a client would notice made right: a
// created resource (201) gets a fresh id and fresh timestamps, so two creates never share an id; an
// item read answers the id it was asked for. `Prefer: example=<name>` picks a named example.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Conformer } from '../contract/conform.js';
import { primaryExample, type OperationInfo } from '../contract/operations.js';
import { matchedOperation, operationKey } from '../http/openapi.js';
import { RuleViolation } from '../rules/violation.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const TIMESTAMPS = ['createdAt', 'updatedAt', 'created', 'updated'];

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
    const name = res.locals.preferExample as string | undefined;
    if (name !== undefined && !operation.examples.has(name)) {
      throw new RuleViolation([
        {
          path: '/headers/prefer',
          message: `example=${name} is not an example of ${operation.operationId}; it has ${[...operation.examples.keys()].join(', ')}`,
        },
      ]);
    }
    const example = name !== undefined && operation.examples.has(name) ? operation.examples.get(name) : primaryExample(operation);
    const overlay: Json = {};
    if (isObject(example)) {
      if (operation.status === 201) {
        const now = deps.now().toISOString();
        if ('id' in example) overlay.id = deps.newId();
        for (const field of TIMESTAMPS) if (field in example) overlay[field] = now;
      } else if (typeof matched.params.id === 'string' && 'id' in example) {
        overlay.id = matched.params.id;
      }
    }
    res.status(operation.status).json(conformer.fit(operation.responseSchema, example, overlay));
  };
}
