import { describe, expect, it } from '@jest/globals';
import { Socket } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createServer, IncomingMessage } from 'node:http';
import { bornWithAppPrototypes } from '../src/http/born-with.js';

describe('requests and responses born with the app prototypes', () => {
  it('makes objects whose prototype is already app.request / app.response, with express methods', () => {
    const app = express();
    const classes = bornWithAppPrototypes(app);
    const req = new classes.IncomingMessage!(new Socket());
    const res = new classes.ServerResponse!(req);
    expect(Object.getPrototypeOf(req)).toBe(app.request);
    expect(Object.getPrototypeOf(res)).toBe(app.response);
    expect(typeof (req as express.Request).get).toBe('function');
    expect(typeof (res as express.Response).status).toBe('function');
    expect((req as express.Request).app).toBe(app);
  });

  it('can be applied to one app twice, each server building its own objects', () => {
    const app = express();
    bornWithAppPrototypes(app);
    const second = bornWithAppPrototypes(app);
    const req = new second.IncomingMessage!(new Socket());
    expect(Object.getPrototypeOf(req)).toBe(app.request);
    expect(req.constructor).toBe(second.IncomingMessage);
    expect(req).toBeInstanceOf(IncomingMessage);
    expect(typeof (req as express.Request).get).toBe('function');
    expect((req as express.Request).app).toBe(app);
  });

  it('serves express routes unchanged, and express finds nothing to re-prototype', async () => {
    const app = express();
    app.get('/x/:id', (req, res) => {
      res.status(202).json({ id: req.params.id, host: req.get('host')?.startsWith('127.0.0.1') });
    });
    const server = createServer(bornWithAppPrototypes(app), app);
    // Before express sees them: already what express would set.
    const born: boolean[] = [];
    server.prependListener('request', (req, res) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await request(server).get('/x/abc');
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: 'abc', host: true });
      expect(born).toEqual([true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
