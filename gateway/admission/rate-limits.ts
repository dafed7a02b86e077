/**
 * Rate limits over the shared store's token buckets (`SharedStore.take`): one bucket per limit
 * and subject (`ratelimit:<id>:<subject>`), so instances sharing a store share the limits.
 * A request limit takes 1 per request; a token limit takes the request's estimate (prompt
 * tokens + max_tokens, at most the bucket's capacity) up front, and settle corrects it to the
 * tokens really used — a forced take of the rest (a debt later requests wait out), or a give-back.
 */
import { StormlabError } from '../../core/errors.js';
import type { LimitConfig } from '../config/limits.js';
import type { BucketSpec, BucketTake, SharedStore } from '../state/store.js';
import type { LimitMetrics, LimitOutcome } from '../telemetry/limit-metrics.js';
import { matchesSubject, subjectOf, type RequestSubject } from './subject.js';

export const LIMIT_PREFIX = 'ratelimit:';

/** A limit that applies to a request, and the bucket it counts in. */
export interface Applicable {
  readonly limit: LimitConfig;
  readonly subject: string;
  readonly bucket: string;
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

export class RateLimits {
  constructor(
    readonly configs: readonly LimitConfig[],
    readonly store: SharedStore,
    readonly metrics: LimitMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  /** The limits covering the request in config order, less those in `skip` (ids). */
  applicable(s: RequestSubject, skip: ReadonlySet<string>): Applicable[] {
    const out: Applicable[] = [];
    for (const limit of this.configs) {
      if (skip.has(limit.id) || !matchesSubject(limit.match, s)) continue;
      const subject = subjectOf(limit.per, s);
      if (subject !== undefined) out.push({ limit, subject, bucket: `${LIMIT_PREFIX}${limit.id}:${subject}` });
    }
    return out;
  }

  spec(limit: LimitConfig): BucketSpec {
    return { capacity: limit.capacity, refillPerSecond: limit.refillPerSecond };
  }

  /** What the request takes from the limit's bucket up front. */
  cost(limit: LimitConfig, estimateTokens: number): number {
    return limit.kind === 'requests' ? 1 : Math.min(limit.capacity, Math.max(1, estimateTokens));
  }

  take(a: Applicable, cost: number, force = false): Promise<BucketTake> {
    return this.store.take(a.bucket, cost, this.spec(a.limit), this.now(), force);
  }

  /** Give what the holds took back (a request refused, degraded or abandoned before it was served). */
  async giveBack(holds: readonly LimitHold[]): Promise<void> {
    await Promise.all(holds.map((h) => this.take(h, -h.taken, true)));
  }

  /** Settle: a token limit's estimate replaced by `usedTokens` (0 for a cache hit or a failure). */
  async settle(holds: readonly LimitHold[], usedTokens: number): Promise<void> {
    const jobs = holds.filter((h) => h.limit.kind === 'tokens' && usedTokens !== h.taken);
    await Promise.all(jobs.map((h) => this.take(h, usedTokens - h.taken, true)));
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
