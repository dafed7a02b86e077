/**
 * Rate limits over the shared store's token buckets (`SharedStore.take`): one bucket per limit
 * and subject (`ratelimit:<id>:<subject>`), so instances sharing a store share the limits.
 * A request limit takes 1 per request; a token limit takes the request's estimate (prompt
 * tokens + max_tokens, at most the bucket's capacity) up front, and settle corrects it to the
 * tokens really used — a forced take of the rest (a debt later requests wait out), or a give-back.
 */
import { StormlabError } from '../../core/errors.js';
import type { LimitConfig } from '../config/limits.js';
import { settled, type BucketSpec, type BucketTake, type Maybe, type SharedStore } from '../state/store.js';
import type { LimitMetrics, LimitOutcome } from '../telemetry/limit-metrics.js';
import { matchesSubject, subjectOf, type RequestSubject } from './subject.js';

export const LIMIT_PREFIX = 'ratelimit:';

/** A limit that applies to a request, and the bucket it counts in. */
export interface Applicable {
  readonly limit: LimitConfig;
  readonly subject: string;
  readonly bucket: string;
  /** the limit's bucket size and refill */
  readonly spec: BucketSpec;
}

/** What a request took from a bucket; settle corrects a token limit's estimate to the real usage. */
export interface LimitHold extends Applicable {
  readonly taken: number;
}

/** A limit a request found empty, and what the bucket said. */
export interface LimitHit extends Applicable {
  readonly cost: number;
  readonly take: BucketTake;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const seconds = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))} s`;

/** Subjects remembered per limit (each with its bucket name); past it the memory starts over. */
const KNOWN_SUBJECTS = 10_000;

export class RateLimits {
  private readonly specs: readonly BucketSpec[];
  /** per limit (config order): subject → its Applicable, so a request builds no bucket name */
  private readonly known: ReadonlyArray<Map<string, Applicable>>;

  constructor(
    readonly configs: readonly LimitConfig[],
    readonly store: SharedStore,
    readonly metrics: LimitMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.specs = configs.map((l) => ({ capacity: l.capacity, refillPerSecond: l.refillPerSecond }));
    this.known = configs.map(() => new Map());
  }

  /** The limits covering the request in config order, less those in `skip` (ids). */
  applicable(s: RequestSubject, skip?: ReadonlySet<string>): Applicable[] {
    const out: Applicable[] = [];
    for (let i = 0; i < this.configs.length; i++) {
      const limit = this.configs[i] as LimitConfig;
      if (skip?.has(limit.id) || !matchesSubject(limit.match, s)) continue;
      const subject = subjectOf(limit.per, s);
      if (subject === undefined) continue;
      const known = this.known[i] as Map<string, Applicable>;
      let a = known.get(subject);
      if (!a) {
        if (known.size >= KNOWN_SUBJECTS) known.clear();
        a = { limit, subject, bucket: `${LIMIT_PREFIX}${limit.id}:${subject}`, spec: this.specs[i] as BucketSpec };
        known.set(subject, a);
      }
      out.push(a);
    }
    return out;
  }

  spec(limit: LimitConfig): BucketSpec {
    const known = this.specs[this.configs.indexOf(limit)];
    return known ?? { capacity: limit.capacity, refillPerSecond: limit.refillPerSecond };
  }

  /** What the request takes from the limit's bucket up front. */
  cost(limit: LimitConfig, estimateTokens: number): number {
    return limit.kind === 'requests' ? 1 : Math.min(limit.capacity, Math.max(1, estimateTokens));
  }

  /** The store's answer: at once in process, a promise from Redis. */
  take(a: Applicable, cost: number, force = false): Maybe<BucketTake> {
    return this.store.take(a.bucket, cost, a.spec, this.now(), force);
  }

  /** Give what the holds took back (a request refused, degraded or abandoned before it was served). */
  giveBack(holds: readonly LimitHold[]): Promise<void> | undefined {
    return settled(holds.map((h) => this.take(h, -h.taken, true)));
  }

  /** Settle: a token limit's estimate replaced by `usedTokens` (0 for a cache hit or a failure). */
  settle(holds: readonly LimitHold[], usedTokens: number): Promise<void> | undefined {
    let results: Array<Maybe<BucketTake>> | undefined;
    for (const h of holds) {
      if (h.limit.kind !== 'tokens' || usedTokens === h.taken) continue;
      (results ??= []).push(this.take(h, usedTokens - h.taken, true));
    }
    return results && settled(results);
  }

  count(limit: LimitConfig, action: LimitOutcome): void {
    this.metrics.action(limit, action);
  }

  /** The 429 naming the limit, its subject and rate — never key material (keys are named by id). */
  exceeded(hit: LimitHit, why: string, retryAfterMs: number): StormlabError {
    const l = hit.limit;
    const who = `${l.per.join('/')} "${hit.subject}"`;
    const burst = l.capacity === l.rate.count ? '' : ` (burst ${fmt(l.capacity)})`;
    const needs = l.kind === 'tokens' ? `; this request needs ${fmt(hit.cost)} tokens up front` : '';
    const rate = `${l.rate.text} ${l.kind}`;
    const message = `rate limit "${l.id}" for ${who} is reached: ${rate}${burst}${needs}; ${why}` +
      `retry in ${seconds(retryAfterMs)}`;
    const left = `${fmt(Math.max(0, hit.take.remaining))} left`;
    const detail = { path: `limits.${l.id}`, expected: `at most ${rate}`, received: left };
    return new StormlabError('GW_RATE_LIMITED', message, [detail]);
  }
}
