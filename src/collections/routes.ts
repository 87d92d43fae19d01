// HTTP for every operation no hand-written module serves, found from the operation the validator
// matched (req.openapi), never from a list: an operation of a collection is answered from the
// partition's records; any other answers its documented example (src/examples/). The hand-written
// routers are mounted before this one, so their operations never reach it.
import type { Request, RequestHandler, Response } from 'express';
import type { Collection, OperationInfo } from '../contract/operations.js';
import { accountIdOf } from '../customers/present.js';
import { matchedOperation, operationKey } from '../http/openapi.js';
import { notFound } from '../http/respond.js';
import type { Store } from '../store/types.js';
import type { CollectionRequest, CollectionService } from './service.js';

type Json = Record<string, unknown>;

/** An operation's place in a collection. */
type Role = 'create' | 'list' | 'read' | 'update' | 'remove' | 'archive' | 'action';

export function collectionRoutes(store: Store, collections: readonly Collection[], service: CollectionService): RequestHandler {
  const roles = new Map<string, { collection: Collection; role: Role; operation: OperationInfo }>();
  for (const collection of collections) {
    const add = (role: Role, operation: OperationInfo | undefined) => {
      const key = operation && operationKey(operation.method, operation.path);
      if (key && !roles.has(key)) roles.set(key, { collection, role, operation: operation });
    };
    add('create', collection.create);
    add('list', collection.list);
    add('read', collection.read);
    add('update', collection.update);
    add('update', collection.patch);
    add('remove', collection.remove);
    add('archive', collection.archive);
    for (const action of collection.actions) add('action', action);
  }

  return async (req: Request, res: Response, next) => {
    const matched = matchedOperation(req);
    const found = matched && roles.get(matched.key);
    if (!matched || !found) return next();
    const { collection, role, operation } = found;
    const request: CollectionRequest = {
      partition: store.partition(res.locals.clientId),
      accountId: accountIdOf(res.locals.clientId),
      params: matched.params,
      query: req.query,
      body: typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Json) : {},
      example: res.locals.preferExample as string | undefined,
    };
    service.example(operation, request.example); // an unknown Prefer: example= is a 400 before anything else
    const parentProblem = service.parentProblem(collection, request);
    if (parentProblem)
      throw notFound(collection.parent!.collection.slice(1), parentProblem.path, request.params[collection.parent!.param] ?? '');
    const send = async (body: unknown, changed: boolean) => {
      if (changed) await store.commit();
      if (body === undefined) res.status(operation.status).end();
      else res.status(operation.status).json(body);
    };

    if (role === 'create')
      return send(service.answer(operation, service.create(collection, request), request.example, request.accountId), true);
    if (role === 'list') return send(service.answerList(collection, request, service.list(collection, request)), false);

    const id = request.params[collection.itemParam ?? ''] ?? '';
    const existing = service.get(collection, request, id);
    if (!existing) throw notFound(collection.name.split('/').pop() ?? 'item', `/path/${collection.itemParam}`, id);
    switch (role) {
      case 'read':
        return send(service.answer(operation, existing, request.example, request.accountId), false);
      case 'update':
        return send(
          service.answer(operation, service.change(collection, request, existing, request.body), request.example, request.accountId),
          true,
        );
      case 'archive':
        return send(service.answer(operation, service.archive(collection, request, existing), request.example, request.accountId), true);
      case 'remove':
        return send(service.answer(operation, service.remove(collection, request, existing), request.example, request.accountId), true);
      case 'action': {
        const own = service.rulesOf(collection)?.actions?.[operation.path.slice(collection.itemPath!.length)];
        const fields = own ? own(existing, request.body) : operation.hasBody ? request.body : {};
        const changed = Object.keys(fields).length > 0;
        const record = changed ? service.change(collection, request, existing, fields) : existing;
        return send(service.answer(operation, record, request.example, request.accountId), changed);
      }
    }
  };
}
