// The two pieces that stand in for express routing on the hot path (src/http/series.ts, and the
// engine's operation table answered by src/http/respond.ts), as a client of an app built with them
// sees them.
import { describe, expect, it } from '@jest/globals';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { systemClock } from '../src/engine/clock.js';
import { Conformer } from '../src/engine/contract/conform.js';
import { describeOperations } from '../src/engine/contract/operations.js';
import { Engine } from '../src/engine/engine.js';
import type { Plugin } from '../src/engine/plugin.js';
import { MemoryStore } from '../src/engine/store/memory.js';
import { answerOperations } from '../src/http/respond.js';
import { series } from '../src/http/series.js';

const answerErrors: ErrorRequestHandler = (err: Error, _req, res, _next) => void res.status(418).json({ error: err.message });

describe('series', () => {
  const app = express();
  app.use(
    series(
      (req, res, next) => {
        res.setHeader('X-Steps', 'first');
        next();
      },
      (req, _res, next) => (req.query.throw ? next(new Error('passed to next')) : next()),
      (req, _res, next) => {
        if (req.query.sync) throw new Error('thrown');
        next();
      },
      async () => {
        await Promise.resolve();
        throw new Error('rejected');
      },
    ),
  );
  app.use(answerErrors);

  it('runs its steps in order, and an error passed to next, thrown, or rejected reaches the error handler', async () => {
    const passed = await request(app).get('/?throw=1');
    expect([passed.status, passed.body.error, passed.headers['x-steps']]).toEqual([418, 'passed to next', 'first']);
    expect((await request(app).get('/?sync=1')).body.error).toBe('thrown');
    expect((await request(app).get('/')).body.error).toBe('rejected');
  });

  it('ends where a step answers without calling next', async () => {
    const app2 = express();
    app2.use(
      series(
        (_req, res) => void res.status(204).end(),
        () => {
          throw new Error('never runs');
        },
      ),
    );
    app2.use(answerErrors);
    expect((await request(app2).get('/')).status).toBe(204);
  });
});

describe('the engine, answering through answerOperations', () => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'two operations', version: '1' },
    paths: {
      '/customers/{id}': { get: { operationId: 'getCustomersById', responses: { '200': { description: 'the customer' } } } },
      '/customers': { post: { operationId: 'postCustomers', responses: { '201': { description: 'made' } } } },
    },
  };
  const shape = { operations: describeOperations(document), collections: [], conformer: new Conformer(document) };
  const plugin = (name: string, handlers: Plugin['handlers']): Plugin => ({ name, tags: [], page: '', handlers });

  it('refuses, at start-up, a handler for an operation the document does not have, and two handlers for one operation', () => {
    expect(() => new Engine(shape, [plugin('typo', { getCustomersByCustomerId: () => ({}) })])).toThrow(
      'typo: no operation getCustomersByCustomerId in the document',
    );
    const twice = plugin('twice', { postCustomers: () => ({}) });
    expect(() => new Engine(shape, [twice, twice])).toThrow('twice: postCustomers has a handler already');
  });

  it('answers by the operation the validator matched, with its path parameters, and passes on what it does not handle', async () => {
    const engine = new Engine(shape, [plugin('one', { getCustomersById: ({ params }) => ({ body: { id: params.id } }) })]);
    const app = express();
    app.use((req, res, next) => {
      res.locals.context = { requestId: 'r', clientId: 'c', arrived: performance.now(), after: 0 };
      // What express-openapi-validator leaves on the request.
      const id = /^\/customers\/([^/]+)$/.exec(req.path)?.[1];
      if (id) Object.assign(req, { openapi: { openApiRoute: '/customers/{id}', pathParams: { id: decodeURIComponent(id) } } });
      next();
    });
    app.use(answerOperations(() => engine, new MemoryStore(), systemClock));
    app.use((_req, res) => void res.status(404).json({ passed: true }));
    const answered = await request(app).get('/customers/a%20b');
    expect([answered.status, answered.body]).toEqual([200, { id: 'a b' }]);
    expect((await request(app).get('/elsewhere')).body).toEqual({ passed: true });
  });
});
