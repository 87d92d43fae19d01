// Hand-written handlers found by the operation the validator matched (req.openapi), not by express
// routing. With express routers, a request was tried against each resource router's routes in turn, a
// path-to-regexp match each, at about 6 µs per layer (measured). The validator has already found the
// operation: one Map lookup finds its handler. The API mirrors express's Router (get, post, put,
// patch, delete with an express path), so a resource module reads as before; `:name` must be the
// document's `{name}`, checked when the handlers are put together (dispatch()).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { matchedOperation, operationKey } from './openapi.js';

/** A handler as resource modules write them: express's, with the path parameters they name. */
export type OperationHandler = (req: Request<never>, res: Response, next: NextFunction) => unknown;
type Add = (path: string, handler: OperationHandler) => OperationRouter;

export class OperationRouter {
  readonly handlers: Map<string, RequestHandler> = new Map();

  readonly get: Add = this.route('get');
  readonly post: Add = this.route('post');
  readonly put: Add = this.route('put');
  readonly patch: Add = this.route('patch');
  readonly delete: Add = this.route('delete');

  private route(method: string): Add {
    return (path, handler) => {
      const key = operationKey(method, path.replace(/:([A-Za-z_$][\w$]*)/g, '{$1}'));
      if (this.handlers.has(key)) throw new Error(`two handlers for ${key}`);
      this.handlers.set(key, handler as RequestHandler);
      return this;
    };
  }
}

/**
 * One layer answering every operation the routers handle; others go on to next(). `operations` are
 * the keys the document has: a handler for anything else (a typo, a parameter named unlike the
 * document's) is a start-up error, not a route that silently never matches.
 */
export function dispatch(routers: readonly OperationRouter[], operations: ReadonlySet<string>): RequestHandler {
  const handlers = new Map<string, RequestHandler>();
  for (const router of routers) {
    for (const [key, handler] of router.handlers) {
      if (!operations.has(key)) throw new Error(`no operation ${key} in the document for a hand-written handler`);
      if (handlers.has(key)) throw new Error(`two handlers for ${key}`);
      handlers.set(key, handler);
    }
  }
  return (req, res, next) => {
    const matched = matchedOperation(req);
    const handler = matched && handlers.get(matched.key);
    if (!handler) return next();
    // The validator's path parameters, decoded, named as in the document (a mount resets req.params).
    req.params = matched.params;
    // A rejected promise goes to next(err) where it is returned to: series() or express's router.
    return handler(req, res, next);
  };
}
