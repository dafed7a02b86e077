/**
 * One dimension (requests or tokens per minute) of an upstream's pacing, as a token bucket that
 * refills at the sustained share of the limit. Its level lives in [floor, cap]:
 *
 *   cap   = (queueAt − sustained) × limit   the burst queued levels may use above the sustained rate
 *   0     = where queued levels stop (they wait for the refill)
 *   floor = −(ceiling − queueAt) × limit    how far direct (P0) traffic may go below, into debt
 *
 * So over any minute queued levels send at most queueAt × limit and everything together at most
 * ceiling × limit, while the long-run rate is the sustained share: with the provider's own bucket
 * (capacity = limit, refilled per minute) it never runs dry. Pure: time is passed in (ms).
 */
import type { PacingThresholds } from '../config/pacing.js';

const MINUTE_MS = 60_000;

/** (0.9 − 0.8) × 600 is 59.99999999999999 in floating point: the band is meant to hold 60 */
function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

export class RateBucket {
  private level: number;
  private at: number;
  /** units per ms */
  readonly rate: number;
  readonly cap: number;
  readonly floor: number;

  constructor(
    readonly limit: number,
    th: PacingThresholds,
    now: number,
  ) {
    this.rate = (th.sustained * limit) / MINUTE_MS;
    this.cap = clean((th.queueAt - th.sustained) * limit);
    this.floor = -clean((th.ceiling - th.queueAt) * limit);
    this.level = this.cap;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) this.level = Math.min(this.cap, this.level + (now - this.at) * this.rate);
    this.at = now;
  }

  /**
   * ms until `cost` fits above `stop` (0 for queued levels, `floor` for direct traffic); 0 = fits now.
   * A cost larger than the whole band fits once the bucket is full (it goes into debt, repaid by the refill).
   */
  waitMs(cost: number, stop: number, now: number): number {
    this.refill(now);
    const need = Math.min(this.cap, stop + cost);
    if (this.level >= need) return 0;
    return this.rate > 0 ? (need - this.level) / this.rate : Number.POSITIVE_INFINITY;
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.level -= cost;
  }

  /** ms until `amount` has refilled above 0 (a backlog's drain time, for Retry-After) */
  untilMs(amount: number, now: number): number {
    this.refill(now);
    return this.rate > 0 ? Math.max(0, (amount - this.level) / this.rate) : Number.POSITIVE_INFINITY;
  }
}
