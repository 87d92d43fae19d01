// Express gives every request and response its app's prototypes with Object.setPrototypeOf, once per
// request. Measured on this stack (a bare express 5 app, 10 connections, --trace-gc-nvp): a quarter of
// what each request allocated then survived V8's scavenges (new_space_survived 26-30% against 0.1%
// without it), so the young generation grew to its limit and every scavenge copied megabytes, pausing
// the server 10-40 ms each time. That was most of the fake's tail latency. The server built here makes
// its requests and responses with those prototypes from birth, so express's setPrototypeOf finds them
// already in place and changes nothing: the same express, the same code path for every operation.
import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

/** http.createServer options under which `app`'s requests and responses are born with its prototypes. */
export function bornWithAppPrototypes(app: Express): Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  class AppRequest extends IncomingMessage {}
  class AppResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}
  // The classes' prototypes take the place of app.request and app.response: what express put on those
  // (its methods, `app`) comes along through the chain, and app.handle then sets each request's
  // prototype to the one it already has.
  adopt(app, 'request', AppRequest.prototype);
  adopt(app, 'response', AppResponse.prototype);
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse };
}

function adopt(app: Express, which: 'request' | 'response', prototype: object): void {
  const current = Reflect.get(app, which) as object;
  Object.setPrototypeOf(prototype, Reflect.getPrototypeOf(current));
  // Its own fields (express's `app`), but never a constructor: a prototype adopted before keeps its own.
  const { constructor: _constructor, ...fields } = Object.getOwnPropertyDescriptors(current);
  Object.defineProperties(prototype, fields);
  Reflect.set(app, which, prototype);
}
