// JSON request bodies. body-parser's json() is general (any charset through iconv, gzip and deflate,
// chunked bodies, type-is matching) and costs about 12% of a POST /customers (measured with perf,
// docs/benchmarks.md). What clients send is nearly always one shape: `application/json` with a
// Content-Length within the limit, no Content-Encoding. That shape is read here directly. Every other
// request goes to express.json() with the same options, so its answers (415 charset, 413, inflated
// bodies, chunked bodies) are body-parser's. The fast path answers as body-parser would: an empty body
// is {}, a leading BOM is dropped, bytes that are not UTF-8 are a 400, malformed JSON is a 400 with
// JSON.parse's message. Both paths refuse JSON nested deeper than MAX_JSON_DEPTH before parsing it.
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler, type Response } from 'express';
import { depthOver, oversizedArray, tooDeep, tooManyItems } from '../engine/json-limits.js';
import { ApiError, MESSAGES } from './errors.js';

/** The 400 for a body nested too deep: named here and by the general path's verify (errors.ts maps its type). */
export const TOO_DEEP = 'entity.too.deep';
export const tooDeepError = (depth: number): ApiError => new ApiError(400, MESSAGES.tooDeep, [{ path: '/body', message: tooDeep(depth) }]);

/** The 400 for an array over MAX_ARRAY_ITEMS, naming it; undefined when every array is within it. */
export function tooManyItemsError(body: unknown): ApiError | undefined {
  const found = oversizedArray(body);
  return found && new ApiError(400, MESSAGES.tooManyItems, [{ path: `/body${found.path}`, message: tooManyItems(found.length) }]);
}

const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

export function jsonBody(limitBytes: number): RequestHandler {
  const general = express.json({
    limit: limitBytes,
    // strict: false so a JSON null, number or string body reaches the validator, which names the
    // problem ("/body must be object") instead of a parser error.
    strict: false,
    // bytes that are not UTF-8 would be decoded into U+FFFD and stored silently changed.
    verify: (_req, res, body) => {
      if (!isUtf8(body)) throw new Error('body is not valid UTF-8');
      const text = body.toString('utf8');
      (res as Response).locals.context.bodyText = text;
      const depth = depthOver(text);
      if (depth !== undefined) throw Object.assign(new Error(tooDeep(depth)), { type: TOO_DEEP });
    },
  });
  return (req, res, next) => {
    const { headers } = req;
    const length = headers['content-length'];
    const plain =
      length !== undefined &&
      headers['content-encoding'] === undefined &&
      headers['transfer-encoding'] === undefined &&
      PLAIN_JSON.has(headers['content-type']?.toLowerCase() ?? '') &&
      /^\d{1,8}$/.test(length) &&
      Number(length) <= limitBytes;
    if (!plain) return general(req, res, (err?: unknown) => next(err ?? tooManyItemsError(req.body)));
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      if (!isUtf8(bytes)) return next(new ApiError(400, MESSAGES.invalidUtf8, [{ path: '/body', message: 'must be UTF-8 encoded' }]));
      let text = bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const depth = depthOver(text);
      if (depth !== undefined) return next(tooDeepError(depth));
      res.locals.context.bodyText = text;
      try {
        req.body = text.length === 0 ? {} : (JSON.parse(text) as unknown);
      } catch (err) {
        return next(new ApiError(400, MESSAGES.malformedJson, [{ path: '/body', message: (err as Error).message }]));
      }
      next(tooManyItemsError(req.body));
    };
    const onAborted = () => {
      cleanup();
      next(new ApiError(400, 'request aborted', [{ path: '/body', message: 'request aborted' }]));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('aborted', onAborted);
  };
}
