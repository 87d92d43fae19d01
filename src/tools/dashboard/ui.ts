// The dashboard (/__admin/ui): static files shipped in the package's ui/ folder, read on first use
// and kept; the page itself talks only to the admin API and the Sequence API. No build step: the
// files are served as written.
import type { Request, RequestHandler, Response } from 'express';
import { readFileSync } from 'node:fs';

/** Sent by the dashboard with its own calls, which the journal leaves out (they are not the user's). */
export const DASHBOARD_HEADER = 'x-sequence-mock-dashboard';

const UI_DIR = new URL('../../../ui/', import.meta.url);
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
/** The files there are, by name: a request names one of these or gets a 404, so no path reaches the disk. */
export const UI_FILES = [
  'index.html',
  'style.css',
  'app.js',
  'api.js',
  'dom.js',
  'customers.js',
  'billing.js',
  'records.js',
  'tools.js',
] as const;
const cache = new Map<string, Buffer>();

function send(res: Response, file: string): void {
  let body = cache.get(file);
  if (!body) cache.set(file, (body = readFileSync(new URL(file, UI_DIR))));
  res.setHeader('Content-Type', TYPES[file.slice(file.lastIndexOf('.') + 1)]!);
  // Short: a new version of the package serves new files after a reload.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}

export const uiPage: RequestHandler = (_req: Request, res: Response) => send(res, 'index.html');

export const uiFile: RequestHandler = (req: Request, res: Response, next) => {
  const file = (req.params as { file?: string }).file ?? '';
  if (!(UI_FILES as readonly string[]).includes(file)) return next();
  send(res, file);
};

/** A browser opening the fake's root (or /api) is sent to the dashboard; API clients never ask for HTML first. */
export const browserHome: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' || (req.path !== '/' && req.path !== '/api' && req.path !== '/api/')) return next();
  const accept = req.headers.accept ?? '';
  if (!/text\/html/i.test(accept)) return next();
  res.redirect(302, '/__admin/ui');
};
