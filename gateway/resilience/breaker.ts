/**
 * A circuit breaker per target (implements the domain `Breaker`). Pure state machine: time is passed in, no timers.
 *
 * - closed → open when, on a failure, either `consecutiveFailures` failures came in a row, or the window holds at
 *   least `minRequests` outcomes of which at least `errorRate` failed. Both rules need two failures or more, so a
 *   single failure never opens it.
 * - open: tryAcquire refuses until the cool-down has passed (it grows by `coolDownMultiplier` when the target
 *   trips again within a window of closing, up to `maxCoolDownMs`), then the breaker turns half-open.
 * - half-open: at most `halfOpenProbes` requests in flight (tryAcquire reserves a slot; record or release frees
 *   it); `successesToClose` probe successes close it (with a fresh window), one probe failure re-opens it.
 *   Outcomes of requests that were let through before it opened and end while it is open are ignored.
 */
import { z } from 'zod';
import type { Breaker, BreakerState } from '../domain/types.js';
import { SlidingWindow } from './sliding-window.js';

const count = z.int().positive();

export const BreakerConfigSchema = z
  .strictObject({
    /** sliding window the error rate is measured over */
    windowMs: count.default(60_000),
    /** time slices the window is cut into (memory is constant) */
    buckets: count.max(1000).default(10),
    /** outcomes the window must hold before the error rate can open the breaker */
    minRequests: count.min(2, 'at least 2, so that one failure never opens the breaker').default(20),
    /** share of failures in the window that opens the breaker, in (0, 1] */
    errorRate: z.number().gt(0).max(1).default(0.05),
    /** failures in a row that open the breaker */
    consecutiveFailures: count.min(2, 'at least 2, so that one failure never opens the breaker').default(5),
    /** how long an open breaker refuses requests before letting probes through */
    coolDownMs: count.default(30_000),
    /** factor the cool-down grows by on each repeated trip (1 = fixed) */
    coolDownMultiplier: z.number().min(1).max(10).default(1),
    /** the grown cool-down never exceeds this */
    maxCoolDownMs: count.default(300_000),
    /** probe requests allowed in flight at once while half-open */
    halfOpenProbes: count.default(3),
    /** probe successes that close the breaker */
    successesToClose: count.default(3),
  })
  .refine((c) => c.maxCoolDownMs >= c.coolDownMs, { message: 'must be at least coolDownMs', path: ['maxCoolDownMs'] });
export type BreakerConfig = z.output<typeof BreakerConfigSchema>;

export type TransitionReason =
  | 'error-rate'
  | 'consecutive-failures'
  | 'cool-down-over'
  | 'probe-failed'
  | 'probes-succeeded'
  /** another gateway instance's transition, adopted (shared breaker state) */
  | 'shared';

export interface BreakerHooks {
  /** every state change, for metrics and logs; `reason` is a small fixed set, fit for a label */
  onTransition?(from: BreakerState, to: BreakerState, reason: TransitionReason): void;
}

const FIELDS = ['ok', 'fail'] as const;

export class CircuitBreaker implements Breaker {
  readonly #cfg: BreakerConfig;
  readonly #hooks: BreakerHooks;
  readonly #window: SlidingWindow<(typeof FIELDS)[number]>;
  #state: BreakerState = 'closed';
  #consecutive = 0;
  #openUntil = 0;
  /** trips in a row without a quiet spell; grows the cool-down */
  #trips = 0;
  #closedAt = Number.NEGATIVE_INFINITY;
  #probesInFlight = 0;
  #probeSuccesses = 0;

  constructor(cfg: BreakerConfig, hooks: BreakerHooks = {}) {
    this.#cfg = cfg;
    this.#hooks = hooks;
    this.#window = new SlidingWindow(cfg.windowMs, cfg.buckets, FIELDS);
  }

  /** the state as of the last call that passed `now` (open turns half-open in tryAcquire, canAcquire, health) */
  get state(): BreakerState {
    return this.#state;
  }

  /**
   * Would tryAcquire admit a request now? Reserves nothing: use it to ask whether a target is a usable
   * fallback (decide's `fallbackAvailable`) without taking one of its half-open probe slots.
   */
  canAcquire(now: number): boolean {
    this.#advance(now);
    return this.#state === 'closed' || (this.#state === 'half-open' && this.#probesInFlight < this.#cfg.halfOpenProbes);
  }

  /** when an open breaker will let probes through (ms, same clock as `now`); undefined unless open */
  get openUntil(): number | undefined {
    return this.#state === 'open' ? this.#openUntil : undefined;
  }

  waitMs(now: number): number {
    this.#advance(now);
    return this.#state === 'open' ? Math.max(0, this.#openUntil - now) : 0;
  }

  tryAcquire(now: number): boolean {
    this.#advance(now);
    if (this.#state === 'closed') return true;
    if (this.#state === 'open' || this.#probesInFlight >= this.#cfg.halfOpenProbes) return false;
    this.#probesInFlight++;
    return true;
  }

  release(): void {
    if (this.#state === 'half-open' && this.#probesInFlight > 0) this.#probesInFlight--;
  }

  record(ok: boolean, now: number): void {
    if (this.#state === 'open') return; // a request let through before the trip; the target is already out
    if (this.#state === 'half-open') return this.#recordProbe(ok, now);
    this.#window.add(ok ? 'ok' : 'fail', now);
    if (ok) {
      this.#consecutive = 0;
      return;
    }
    this.#consecutive++;
    if (this.#consecutive >= this.#cfg.consecutiveFailures) return this.#open(now, 'consecutive-failures');
    const fails = this.#window.sum('fail', now);
    const total = fails + this.#window.sum('ok', now);
    if (fails >= 2 && total >= this.#cfg.minRequests && fails / total >= this.#cfg.errorRate) {
      this.#open(now, 'error-rate');
    }
  }

  health(now: number): number {
    this.#advance(now);
    if (this.#state === 'open') return 0;
    if (this.#state === 'half-open') return this.#probeSuccesses / this.#cfg.successesToClose;
    const fails = this.#window.sum('fail', now);
    const total = fails + this.#window.sum('ok', now);
    return total === 0 ? 1 : 1 - fails / total;
  }

  /**
   * Adopt a transition another instance made (shared state): `open` for `openForMs` from `now`
   * (never shortening a longer local cool-down), or `closed` (its probes succeeded). Reported
   * with reason `shared`, so it is not published back.
   */
  adopt(to: 'open' | 'closed', openForMs: number, now: number): void {
    this.#advance(now);
    if (to === 'open') {
      const until = now + Math.max(0, openForMs);
      if (until <= now || (this.#state === 'open' && this.#openUntil >= until)) return;
      this.#openUntil = until;
      this.#probesInFlight = 0;
      this.#probeSuccesses = 0;
      this.#window.clear();
      if (this.#state !== 'open') this.#move('open', 'shared');
      return;
    }
    if (this.#state === 'closed') return;
    this.#window.clear();
    this.#consecutive = 0;
    this.#probesInFlight = 0;
    this.#probeSuccesses = 0;
    this.#closedAt = now;
    this.#move('closed', 'shared');
  }

  #recordProbe(ok: boolean, now: number): void {
    if (this.#probesInFlight === 0) return; // not a probe: it started before the breaker opened
    this.#probesInFlight--;
    if (!ok) return this.#open(now, 'probe-failed');
    this.#probeSuccesses++;
    if (this.#probeSuccesses >= this.#cfg.successesToClose) {
      this.#window.clear();
      this.#consecutive = 0;
      this.#closedAt = now;
      this.#move('closed', 'probes-succeeded');
    }
  }

  #open(now: number, reason: TransitionReason): void {
    this.#trips = now - this.#closedAt < this.#cfg.windowMs || this.#state === 'half-open' ? this.#trips + 1 : 1;
    const grown = this.#cfg.coolDownMs * this.#cfg.coolDownMultiplier ** (this.#trips - 1);
    this.#openUntil = now + Math.min(this.#cfg.maxCoolDownMs, grown);
    this.#probesInFlight = 0;
    this.#probeSuccesses = 0;
    this.#window.clear();
    this.#move('open', reason);
  }

  #advance(now: number): void {
    if (this.#state === 'open' && now >= this.#openUntil) this.#move('half-open', 'cool-down-over');
  }

  #move(to: BreakerState, reason: TransitionReason): void {
    const from = this.#state;
    this.#state = to;
    this.#hooks.onTransition?.(from, to, reason);
  }
}
