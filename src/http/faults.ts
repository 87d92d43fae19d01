// Sticky fault rules, for clients that cannot add a Prefer header: "the next 2 POST /customers get
// 503", "5% of requests get 500". Random draws come from a PRNG seeded per rule, so a test replays
// the same failures every run.
import type { components } from '../generated/mock.js';
import { withoutApi } from '../engine/contract/base-paths.js';

export type FaultRuleRequest = components['schemas']['FaultRuleRequest'];
export type FaultRule = components['schemas']['FaultRule'];

interface LiveRule extends FaultRule {
  random: () => number;
  pattern?: RegExp;
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

/** "/customers/*\/contacts" -> a RegExp where * is one path segment. */
function pathPattern(path: string): RegExp {
  const escaped = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}$`);
}

export interface FaultRequest {
  method: string;
  path: string;
  partition: string | undefined;
}

export class FaultRules {
  private rules: LiveRule[] = [];
  private lastId = 0;

  add(request: FaultRuleRequest, partition: string | undefined): FaultRule {
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
      ...(match.path !== undefined && { pattern: pathPattern(match.path) }),
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
    for (const rule of this.rules) {
      if (rule.match.method !== undefined && rule.match.method !== request.method) continue;
      if (rule.match.partition !== undefined && rule.match.partition !== request.partition) continue;
      if (rule.pattern && !rule.pattern.test(path)) continue;
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

  private view({ random: _random, pattern: _pattern, ...rule }: LiveRule): FaultRule {
    return structuredClone(rule);
  }
}
