// Error modes switched on per request, with Prism's Prefer vocabulary so tests written against
// Prism carry over: `Prefer: code=503` answers that status (changing nothing), `Prefer: delay=250`
// holds the response back. Without a Prefer code or delay, the sticky fault rules (faults.ts) are
// asked. Runs after spec validation and before any domain work.
import type { RequestHandler } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './errors.js';
import type { FaultRules } from './faults.js';

/** The statuses a client can ask for: the ones a Sequence client has to handle. */
export const PREFER_CODES = [400, 401, 404, 409, 429, 500, 503] as const;
export const MAX_DELAY_MS = 10_000;
/** Prism's key we accept and ignore: answers are always made, never generated at random. */
const IGNORED_KEYS = new Set(['dynamic']);

export const PREFER_HELP = `Prefer takes comma-separated key=value pairs: code=${PREFER_CODES.join('|')}, delay=0..${MAX_DELAY_MS} (milliseconds), example=<a named example of the operation>`;

export interface Preferences {
  code?: (typeof PREFER_CODES)[number];
  delay?: number;
  /** A named example of the operation's success response: the shape its answer is made from. */
  example?: string;
}

function invalid(detail: string): ApiError {
  const message = `Invalid Prefer header: ${detail}. ${PREFER_HELP}`;
  return new ApiError(400, message, [{ path: '/headers/prefer', message: `${detail}. ${PREFER_HELP}` }]);
}

/** Parses a Prefer header; throws a 400 that says what is accepted. */
export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = {};
  if (header === undefined || header.trim() === '') return preferences;
  const seen = new Set<string>();
  for (const part of header.split(/[,;]/)) {
    const item = part.trim();
    if (item === '') continue;
    const match = /^([A-Za-z-]+)\s*=\s*"?([^"]*)"?$/.exec(item);
    if (!match) throw invalid(`"${item}" is not key=value`);
    const key = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (seen.has(key)) throw invalid(`${key} is given twice`);
    seen.add(key);
    if (key === 'code') {
      const code = PREFER_CODES.find((c) => String(c) === value);
      if (code === undefined) throw invalid(`code=${value} is not one of ${PREFER_CODES.join(', ')}`);
      preferences.code = code;
    } else if (key === 'delay') {
      const delay = Number(value);
      if (!/^\d+$/.test(value) || delay > MAX_DELAY_MS)
        throw invalid(`delay=${value} is not a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
      preferences.delay = delay;
    } else if (key === 'example') {
      if (value === '') throw invalid('example= names no example');
      preferences.example = value;
    } else if (!IGNORED_KEYS.has(key)) {
      throw invalid(`unknown preference "${key}"`);
    }
  }
  return preferences;
}

/** What a forced error says: the message a real failure of that kind would carry. */
const FORCED: Record<Preferences['code'] & number, { message: string; headers?: Record<string, string> }> = {
  400: { message: 'Request validation failed' },
  401: { message: 'Unknown client id or wrong client secret.', headers: { 'WWW-Authenticate': 'Basic realm="Sequence API"' } },
  404: { message: 'No such resource' },
  409: { message: 'The request conflicts with the current state of the resource' },
  // https://docs.sequencehq.com/reference/authentication: 100 requests per minute per token.
  429: { message: 'Rate limit exceeded: up to 100 API requests per minute per Authorization token', headers: { 'Retry-After': '1' } },
  500: { message: 'Internal server error' },
  503: { message: 'Service temporarily unavailable', headers: { 'Retry-After': '1' } },
};

/** @param rule the fault rule that forced it; a Prefer header otherwise. */
export function forcedError(code: keyof typeof FORCED, rule?: string): ApiError {
  const { message, headers } = FORCED[code];
  const full = `${message} (forced by ${rule === undefined ? `Prefer: code=${code}` : `fault rule ${rule}`})`;
  const error =
    rule === undefined
      ? { path: '/headers/prefer', message: `code=${code} forced this response` }
      : { path: '/', message: `fault rule ${rule} forced this response` };
  return new ApiError(code, full, [error], headers);
}

export function mockControls(faults: FaultRules): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.prefer;
    const preferred = parsePrefer(Array.isArray(header) ? header.join(', ') : header);
    // A Prefer code or delay wins over every rule: the rules are not even asked.
    const fromPrefer = preferred.code !== undefined || preferred.delay !== undefined;
    const rule = fromPrefer
      ? undefined
      : faults.take({ method: req.method, path: req.originalUrl, partition: res.locals.context.clientId });
    const code = fromPrefer ? preferred.code : (rule?.respond.code as Preferences['code']);
    const delay = fromPrefer ? preferred.delay : rule?.respond.delay;
    if (delay) await sleep(delay);
    if (code !== undefined) throw forcedError(code, rule?.id);
    if (preferred.example !== undefined) res.locals.context.example = preferred.example;
    next();
  };
}
