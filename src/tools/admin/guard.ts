// Who may call the admin API, read in one place (docs/reliability.md has the same rules in prose):
//
// 1. The Host must be one a person or a container network uses for this server: localhost (and
//    *.localhost), an IP literal, a single-label name (a compose service such as `sequence-mock`), or
//    one listed in ALLOWED_HOSTS. A web page that rebinds its own domain to 127.0.0.1 sends its domain
//    as Host and is refused, so it cannot read the journal through the victim's browser.
// 2. A browser request from another origin (its Origin header names another host) cannot change
//    anything: POST and DELETE from a web page the user happens to visit are refused.
// 3. The admin token, when set, is checked before anything reads the body.
// 4. Scope: with Sequence credentials a call acts on that client id's partition only. Acting on every
//    partition needs the admin token when one is set, and is refused when the server checks
//    credentials (SEQUENCE_MOCK_CREDENTIALS) without an admin token: a shared host with no admin.
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { sameSecret } from '../../http/auth.js';
import { ApiError, MESSAGES } from '../../http/errors.js';

export interface AdminPolicy {
  adminToken: string | undefined;
  credentials: ReadonlyMap<string, string> | undefined;
  /** Extra Host names accepted (ALLOWED_HOSTS); `*` accepts any. */
  allowedHosts: readonly string[];
}

/** The host name of a Host header, without port or IPv6 brackets, lower-cased. */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (host === undefined || host === '') return false;
  const name = hostName(host);
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    isIP(name) !== 0 ||
    /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/.test(name) ||
    allowed.some((entry) => entry.toLowerCase() === name)
  );
}

const forbidden = (path: string, message: string) => new ApiError(403, message, [{ path, message }]);

/** Whether a request comes from the admin (the token when one is set; anyone on an open local server). */
export function isAdmin(headers: Record<string, unknown>, policy: Pick<AdminPolicy, 'adminToken' | 'credentials'>): boolean {
  const token = headers['x-admin-token'];
  if (policy.adminToken !== undefined) return typeof token === 'string' && sameSecret(token, policy.adminToken);
  return policy.credentials === undefined;
}

/** Rules 1 to 3, before the admin API's validator reads the request; `prefix` is where the admin API is mounted. */
export function adminGuard(policy: AdminPolicy, prefix: string): RequestHandler {
  return (req, _res, next) => {
    if (!hostAllowed(req.headers.host, policy.allowedHosts)) {
      throw forbidden('/headers/host', MESSAGES.adminHost(req.headers.host ?? ''));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && req.method !== 'GET' && req.method !== 'HEAD') {
      let from: string | undefined;
      try {
        from = new URL(origin).host.toLowerCase();
      } catch {
        from = undefined;
      }
      if (from !== req.headers.host?.toLowerCase()) throw forbidden('/headers/origin', MESSAGES.adminCrossOrigin);
    }
    // The health check and the dashboard's files carry no data; everything else needs the token.
    const path = req.path.slice(prefix.length);
    const open = path === '/health' || path === '/ui' || path.startsWith('/ui/');
    const token = req.headers['x-admin-token'];
    if (!open && policy.adminToken !== undefined && (typeof token !== 'string' || !sameSecret(token, policy.adminToken))) {
      throw new ApiError(401, MESSAGES.adminToken, [{ path: '/headers/x-admin-token', message: MESSAGES.adminToken }]);
    }
    next();
  };
}
