// Answers leave through here: the engine's answer for an operation, written as res.json would.
import type { Request, RequestHandler, Response } from 'express';
import { clockOf, type Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../engine/store/types.js';
import { MAX_PARTITION_RECORDS } from '../engine/store/memory.js';
import { ApiError, MESSAGES } from './errors.js';
import { matchedOperation } from './openapi.js';

/**
 * What res.json sends (the same status, headers and bytes), written directly: res.json and res.send
 * cost about 6% of a POST (ETag, freshness and charset handling the fake never needs; measured,
 * docs/benchmarks.md). When anything wraps res.json for this response (the response validator in
 * strict mode, the idempotency store), res.json is called, so the wrapper sees the body.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  if (Object.hasOwn(res, 'json')) {
    res.status(status).json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * Every operation of the document, answered by the engine for the operation the validator matched
 * (one Map lookup): the request becomes a Call (no HTTP past this point), a change is made durable
 * before it is acknowledged, and the answer is written once, here.
 */
/** What answers an operation: the engine, or an older API version's view over it (engine/versions.ts). */
export type Answerer = Pick<Engine, 'answer'>;

export function answerOperations(engineFor: (version: string | undefined) => Answerer, store: Store, clock: Clock): RequestHandler {
  // Not async: a read answers synchronously (a promise and a microtask per request, measured on the
  // GET path); only a change waits for the store.
  return (req: Request, res: Response, next) => {
    const matched = matchedOperation(req);
    const context = res.locals.context;
    const clientId = context.clientId;
    if (!matched || clientId === undefined) return next();
    const partition = store.partition(clientId);
    // Checked before the change, so a request is refused whole, never half made.
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE' && partition.size >= MAX_PARTITION_RECORDS) {
      throw new ApiError(507, MESSAGES.partitionFull(MAX_PARTITION_RECORDS), [
        { path: '/', message: MESSAGES.partitionFull(MAX_PARTITION_RECORDS) },
      ]);
    }
    const answer = engineFor(context.version).answer(matched.key, {
      partition,
      clientId,
      params: matched.params,
      readQuery: () => req.query,
      body: req.body,
      clock: clockOf(partition, clock),
      example: context.example,
    });
    if (!answer) return next();
    const send = () => (answer.body === undefined ? void res.status(answer.status).end() : sendJson(res, answer.status, answer.body));
    return answer.changed ? store.commit().then(send) : send();
  };
}
