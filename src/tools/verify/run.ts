// `sequence-mock verify`: plays the scenario against an upstream (a Sequence sandbox) and against a
// fake started in this process, compares each pair of answers, then archives what it made upstream.
import { randomBytes } from 'node:crypto';
import { at, Conformer } from '../../engine/contract/conform.js';
import { ConfigError, parseUpstream } from '../../config.js';
import { describeOperations } from '../../engine/contract/operations.js';
import { SEQUENCE_VERSION } from '../../http/errors.js';
import { loadSpec } from '../../engine/contract/spec.js';
import { start } from '../../server.js';
import { compareObserved, References, type Difference, type Observed } from './compare.js';
import { CUSTOMERS, scenario, type Step } from './scenario.js';

export interface VerifyOptions {
  /** Sequence's base URL, e.g. https://sandbox.sequencehq.com/api */
  upstream: string;
  clientId: string;
  clientSecret: string;
  /** Let it run against a production base URL (it creates and archives customers there). */
  allowProduction?: boolean;
  /** Per request, upstream (default 30 s). */
  timeoutMs?: number;
  /**
   * The API version a pinned client sends (--api-version): every request of the scenario without a
   * body is made in it, so both sides answer the scenario's records in that version's shapes; a
   * request with a body stays in the current version, whose shapes the scenario writes.
   */
  apiVersion?: string;
}

export interface StepOutcome {
  step: string;
  request: string;
  upstream: number;
  fake: number;
}

export interface VerifyReport {
  upstream: string;
  /** The tag in every name, email and alias this run made. */
  run: string;
  steps: StepOutcome[];
  differences: Difference[];
  /** What archiving this run's customers upstream answered, by request. */
  cleanup: { request: string; status: number }[];
}

/** Thrown for what makes a run impossible (bad URL, production refused); the CLI exits 2. */
export class VerifyError extends Error {}

/**
 * Sequence's production hosts: sequencehq.com and its subdomains but the sandbox. A run makes
 * customers, so it refuses these unless asked.
 */
export function isProduction(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (host === 'sequencehq.com' || host.endsWith('.sequencehq.com')) && !host.startsWith('sandbox.');
}

export function upstreamUrl(value: string, allowProduction: boolean): URL {
  let url: URL;
  try {
    url = new URL(parseUpstream(value, '--upstream'));
  } catch (err) {
    if (err instanceof ConfigError) throw new VerifyError(err.message);
    throw err;
  }
  if (isProduction(url) && !allowProduction) {
    throw new VerifyError(
      `${url.origin} is Sequence's production API; verify creates and archives customers there. ` +
        'Use the sandbox (https://sandbox.sequencehq.com/api), or pass --allow-production.',
    );
  }
  return url;
}

interface Target {
  side: 'upstream' | 'fake';
  base: string;
  authorization: string;
  badAuthorization: string;
  refs: Map<string, string>;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const upstream = upstreamUrl(options.upstream, options.allowProduction === true);
  const spec = loadSpec();
  const conformer = new Conformer(spec);
  // The vendor page's example: the request example the document gives POST /customers.
  const vendorExample = describeOperations(spec).find((o) => o.method === 'post' && o.path === '/customers')!.requestExample as Record<
    string,
    unknown
  >;
  const run = randomBytes(4).toString('hex');
  const steps = scenario(run, vendorExample);
  // The fake never sees the user's secret: it gets credentials of its own, checked like Sequence's.
  const fake = await start({ port: 0, fixtures: false, logLevel: 'silent', credentials: new Map([['verify', 'verify-secret']]) });
  const targets: Target[] = [
    {
      side: 'upstream',
      base: upstream.href.replace(/\/$/, ''),
      authorization: basic(options.clientId, options.clientSecret),
      badAuthorization: basic(options.clientId, `not-${options.clientSecret}`),
      refs: new Map(),
    },
    {
      side: 'fake',
      base: `${fake.url}/api`,
      authorization: basic('verify', 'verify-secret'),
      badAuthorization: basic('verify', 'not-verify-secret'),
      refs: new Map(),
    },
  ];
  const references = new References();
  const report: VerifyReport = { upstream: upstream.href, run, steps: [], differences: [], cleanup: [] };
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    for (const step of steps) {
      const pinned = step.body === undefined && step.version === undefined && options.apiVersion !== undefined;
      const sent = pinned ? { ...step, version: options.apiVersion } : step;
      const [u, f] = [await send(targets[0]!, sent, timeoutMs), await send(targets[1]!, sent, timeoutMs)];
      const request = `${step.method} ${step.operation}`;
      report.steps.push({ step: step.name, request, upstream: u.status, fake: f.status });
      report.differences.push(
        ...compareObserved(u, f, {
          step: step.name,
          request,
          schema: conformer.response(step.method, step.operation, u.status)?.schema,
          conformer,
          references,
        }),
      );
      for (const [target, observed] of [
        [targets[0]!, u],
        [targets[1]!, f],
      ] as const) {
        for (const [name, pointer] of Object.entries(step.save ?? {})) {
          const value = at(observed.body, pointer);
          if (typeof value === 'string') target.refs.set(name, value);
        }
      }
    }
  } finally {
    // Sequence has no delete: archiving is as far as a run can clean up after itself.
    for (const name of CUSTOMERS) {
      const id = targets[0]!.refs.get(name);
      if (id === undefined) continue;
      const archived = await send(
        targets[0]!,
        { name: 'clean up', method: 'POST', operation: '/customers/{id}/archive', path: () => `/customers/${id}/archive` },
        timeoutMs,
      ).catch(() => ({ status: 0 }));
      report.cleanup.push({ request: `POST /customers/${id}/archive`, status: archived.status });
    }
    await fake.close();
  }
  return report;
}

async function send(target: Target, step: Step, timeoutMs: number): Promise<Observed> {
  // A name this side never got (its create failed) still makes a request, which then fails on its own terms.
  const ref = (name: string) => target.refs.get(name) ?? `missing-${name}`;
  const body = step.body?.(ref);
  const response = await fetch(`${target.base}${step.path(ref)}`, {
    method: step.method,
    headers: {
      authorization: step.badCredentials ? target.badAuthorization : target.authorization,
      'sequence-version': step.version ?? SEQUENCE_VERSION,
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: compared as a string, which any JSON body differs from in type.
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed };
}

/** The report as a table a person reads in a terminal or a CI log. */
export function formatReport(report: VerifyReport): string {
  const lines = [`sequence-mock verify: ${report.steps.length} requests against ${report.upstream} and the fake (run ${report.run})`];
  if (report.differences.length === 0) {
    lines.push('No differences.');
  } else {
    const rows = [
      ['step', 'request', 'what', 'where', 'upstream', 'fake'],
      ...report.differences.map((d) => [d.step, d.request, d.kind, d.path, d.upstream, d.fake]),
    ].map((row) => row.map((cell) => (cell.length > 60 ? `${cell.slice(0, 57)}...` : cell)));
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    const format = (row: string[]) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    lines.push(format(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(format));
    const steps = new Set(report.differences.map((d) => d.step)).size;
    lines.push(
      `${report.differences.length} difference${report.differences.length === 1 ? '' : 's'} in ${steps} of ${report.steps.length} steps.`,
    );
  }
  const failed = report.cleanup.filter((c) => c.status < 200 || c.status > 299);
  lines.push(
    `Archived ${report.cleanup.length - failed.length} of ${report.cleanup.length} customers made upstream` +
      (failed.length > 0 ? `; not archived: ${failed.map((c) => `${c.request} (${c.status || 'no answer'})`).join(', ')}` : '.'),
  );
  return `${lines.join('\n')}\n`;
}
