/**
 * A per-gateway retry budget in the manner of Finagle's RetryBudget and tower's `Budget`: over a sliding window,
 * further attempts (retries and failovers alike, except a failover away from a 429:
 * stages/failover.ts) may be at most `ratio` of the client requests seen, plus a
 * reserve of `minPerSecond` × window seconds so that a quiet gateway can still retry. When upstreams fail
 * persistently the budget runs dry and requests fail fast instead of multiplying the load (a retry storm).
 * Counts live in time buckets, so memory is constant. Time is passed in.
 */
import { z } from 'zod';
import { SlidingWindow } from './sliding-window.js';

export const RetryBudgetSchema = z.strictObject({
  /** retries allowed per client request over the window (0.2 = one retry per five requests) */
  ratio: z.number().min(0).max(10).default(0.2),
  /** length of the sliding window */
  windowMs: z.int().positive().max(600_000).default(10_000),
  /** reserve on top of the ratio, in retries per second of window, for low traffic */
  minPerSecond: z.number().min(0).default(3),
  /** slices the window is cut into (memory is constant) */
  buckets: z.int().min(1).max(1000).default(10),
});
export type RetryBudgetConfig = z.output<typeof RetryBudgetSchema>;

const FIELDS = ['requests', 'retries'] as const;

export class RetryBudget {
  readonly #cfg: RetryBudgetConfig;
  readonly #window: SlidingWindow<(typeof FIELDS)[number]>;

  constructor(cfg: RetryBudgetConfig) {
    this.#cfg = cfg;
    this.#window = new SlidingWindow(cfg.windowMs, cfg.buckets, FIELDS);
  }

  /** count one client request (once per request, not per attempt) */
  recordRequest(now: number): void {
    this.#window.add('requests', now);
  }

  /** retries the window allows right now: ratio × requests + the reserve */
  allowance(now: number): number {
    const reserve = (this.#cfg.minPerSecond * this.#cfg.windowMs) / 1000;
    return this.#cfg.ratio * this.#window.sum('requests', now) + reserve;
  }

  /** would a retry be allowed now? Does not consume: use it for `budgetAllows` in decide() */
  canRetry(now: number): boolean {
    return this.#window.sum('retries', now) + 1 <= this.allowance(now);
  }

  /** take one retry from the budget if there is one; false = spent, do not retry */
  tryRetry(now: number): boolean {
    if (!this.canRetry(now)) return false;
    this.#window.add('retries', now);
    return true;
  }

  /** retries taken in the window ending at `now` (for metrics) */
  spent(now: number): number {
    return this.#window.sum('retries', now);
  }
}
