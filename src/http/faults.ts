// Sticky fault rules, for clients that cannot add a Prefer header: "the next 2 POST /customers get
// 503", "5% of requests get 500". Random draws come from a PRNG seeded per rule, so a test replays
// the same failures every run.
import type { components } from '../generated/mock.js';
import { withoutApi } from '../engine/contract/base-paths.js';

export type FaultRuleRequest = components['schemas']['FaultRuleRequest'];
export type FaultRule = components['schemas']['FaultRule'];

interface LiveRule extends FaultRule {
  random: () => number;
  /** match.path, compiled when the rule is added. */
  path?: (segments: readonly string[]) => boolean;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; plenty for deciding which requests fail. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whether `path` matches a rule's path, where `*` is one or more characters of one path segment
 * ("/customers/*\/contacts"). Matched segment by segment with the two-pointer wildcard walk, which
 * is linear in the segment for a pattern without stars and at worst pattern x path with them: a
 * RegExp of `[^/]+` per star backtracked exponentially on consecutive stars (10 s for one request).
 */
export function pathMatches(pattern: string, path: string): boolean {
  return compilePath(pattern)(path.split('/'));
}

const ONE = 0; // any one character
const ANY = 1; // any number of characters
type Token = string | typeof ONE | typeof ANY;

/** A rule's path made into per-segment tokens once, when the rule is added; the result takes a request's segments. */
export function compilePath(pattern: string): (segments: readonly string[]) => boolean {
  const globs = pattern.split('/').map(tokensOf);
  return (segments) => globs.length === segments.length && globs.every((tokens, i) => segmentMatches(tokens, segments[i]!));
}

function tokensOf(glob: string): Token[] {
  // `*` is one character and then any number more: ONE then ANY, in the classic walk.
  const tokens: Token[] = [];
  for (const c of glob) {
    if (c !== '*') tokens.push(c);
    else if (tokens.at(-1) === ANY)
      tokens.splice(-1, 0, ONE); // "**": two characters at least, still one ANY
    else tokens.push(ONE, ANY);
  }
  return tokens;
}

function segmentMatches(tokens: readonly Token[], text: string): boolean {
  let t = 0;
  let g = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = tokens[g];
    if (token === ONE || (typeof token === 'string' && token === text[t])) {
      t += 1;
      g += 1;
    } else if (token === ANY) {
      star = g;
      resume = t;
      g += 1;
    } else if (star >= 0) {
      g = star + 1;
      resume += 1;
      t = resume;
    } else return false;
  }
  while (tokens[g] === ANY) g += 1;
  return g === tokens.length;
}

/** The most fault rules kept at once: each request is checked against all of them. */
export const MAX_FAULT_RULES = 1000;

/** Adding a rule past MAX_FAULT_RULES; the admin API answers it with a 409. */
export class TooManyRules extends Error {
  constructor() {
    super(`at most ${MAX_FAULT_RULES} fault rules are kept at once: delete some (DELETE /__admin/faults) first`);
  }
}

export interface FaultRequest {
  method: string;
  path: string;
  partition: string | undefined;
}

export class FaultRules {
  private rules: LiveRule[] = [];
  private lastId = 0;

  get size(): number {
    return this.rules.length;
  }

  add(request: FaultRuleRequest, partition: string | undefined): FaultRule {
    if (this.rules.length >= MAX_FAULT_RULES) throw new TooManyRules();
    this.lastId += 1;
    const seed = request.seed ?? this.lastId;
    const match = { ...request.match, ...(partition !== undefined && { partition }) };
    const rule: LiveRule = {
      id: `fault-${this.lastId}`,
      match: { ...match, ...(match.method && { method: match.method.toUpperCase() }) },
      respond: request.respond,
      ...(request.times !== undefined && { times: request.times }),
      probability: request.probability ?? 1,
      seed,
      matched: 0,
      random: mulberry32(seed),
      ...(match.path !== undefined && { path: compilePath(match.path) }),
    };
    this.rules.push(rule);
    return this.view(rule);
  }

  list(partition?: string): FaultRule[] {
    return this.rules.filter((r) => partition === undefined || r.match.partition === partition).map((r) => this.view(r));
  }

  /** Removes one rule; false when there is none by that id (or it is another partition's). */
  remove(id: string, partition?: string): boolean {
    const kept = this.rules.filter((r) => r.id !== id || (partition !== undefined && r.match.partition !== partition));
    const removed = kept.length < this.rules.length;
    this.rules = kept;
    return removed;
  }

  clear(partition?: string): void {
    this.rules = partition === undefined ? [] : this.rules.filter((r) => r.match.partition !== partition);
  }

  /**
   * The first rule that matches and wins its draw answers the request; it counts against `times`,
   * and a used-up rule is removed. A lost draw uses nothing up.
   */
  take(request: FaultRequest): Pick<FaultRule, 'id' | 'respond'> | undefined {
    const path = withoutApi(request.path.split('?')[0]!);
    let segments: string[] | undefined; // split once, and only when a rule has a path
    for (const rule of this.rules) {
      if (rule.match.method !== undefined && rule.match.method !== request.method) continue;
      if (rule.match.partition !== undefined && rule.match.partition !== request.partition) continue;
      if (rule.path && !rule.path((segments ??= path.split('/')))) continue;
      if (rule.probability < 1 && rule.random() >= rule.probability) continue;
      rule.matched += 1;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times === 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return { id: rule.id, respond: rule.respond };
    }
    return undefined;
  }

  private view({ random: _random, path: _path, ...rule }: LiveRule): FaultRule {
    return structuredClone(rule);
  }
}
