// The two pieces that stand in for express routing on the hot path (src/http/series.ts and
// src/http/operation-router.ts), as a client of an app built with them sees them.
import { describe, expect, it } from '@jest/globals';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { dispatch, OperationRouter } from '../src/http/operation-router.js';
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

describe('dispatch', () => {
  const operations = new Set(['get /customers/{id}', 'post /customers']);

  it("refuses, at start-up, a handler for an operation the document does not have (a parameter named unlike the document's)", () => {
    const router = new OperationRouter().get('/customers/:customerId', () => undefined);
    expect(() => dispatch([router], operations)).toThrow('no operation get /customers/{customerId}');
    expect(() => new OperationRouter().post('/customers', () => undefined).post('/customers', () => undefined)).toThrow('two handlers');
  });

  it('answers by the operation the validator matched, with its path parameters, and passes on what it does not handle', async () => {
    const app = express();
    app.use((req, _res, next) => {
      // What express-openapi-validator leaves on the request.
      const id = /^\/customers\/([^/]+)$/.exec(req.path)?.[1];
      if (id) Object.assign(req, { openapi: { openApiRoute: '/customers/{id}', pathParams: { id: decodeURIComponent(id) } } });
      next();
    });
    const router = new OperationRouter().get(
      '/customers/:id',
      (req: express.Request, res: express.Response) => void res.json({ id: req.params.id }),
    );
    app.use('/', dispatch([router], operations));
    app.use((_req, res) => void res.status(404).json({ passed: true }));
    expect((await request(app).get('/customers/a%20b')).body).toEqual({ id: 'a b' });
    expect((await request(app).get('/elsewhere')).body).toEqual({ passed: true });
  });
});
