// What runs once a response is sent (the request's log line, its journal entry), behind one 'finish'
// listener per request. Each used to hang its own listener through `once` (a wrapper closure each),
// with its own clock read; npm run bench:settings measured the two at about a quarter of a GET's CPU.
// Here a request gets one shared listener (no closure), and its age comes from the arrival time
// the context already holds.
import type { Request, RequestHandler, Response } from 'express';

export interface AfterResponse {
  /** Asked on arrival, before any later step can change the request: does this one want the answer? */
  wants(req: Request): boolean;
  /** Once the answer's last byte is handed to the socket; `ms` since the request arrived. */
  sent(req: Request, res: Response, ms: number): void;
}

export function afterResponse(...hooks: AfterResponse[]): RequestHandler {
  if (hooks.length > 31) throw new Error('afterResponse keeps which hooks want a request in 31 bits');
  function finished(this: Response): void {
    const { context } = this.locals;
    const ms = performance.now() - context.arrived;
    for (let i = 0; i < hooks.length; i += 1)
      if ((context.after & (1 << i)) !== 0) {
        try {
          hooks[i]!.sent(this.req, this, ms);
        } catch {
          // Past the response nothing may throw: an uncaught error here would stop the process,
          // and a log line or journal entry is not worth that.
        }
      }
  }
  return (req, res, next) => {
    let wanted = 0;
    for (let i = 0; i < hooks.length; i += 1) if (hooks[i]!.wants(req)) wanted |= 1 << i;
    if (wanted !== 0) {
      res.locals.context.after = wanted;
      res.on('finish', finished);
    }
    next();
  };
}
