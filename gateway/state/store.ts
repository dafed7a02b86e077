/**
 * The shared-state store: counters that several gateway instances must agree on (budgets'
 * spend, rate limits, attribution). Every operation is atomic in the store's own terms — an
 * in-process Map today (`memory.ts`), a Redis script later — so no caller ever reads, adds
 * and writes back. Values are numbers; a counter may expire at a wall-clock time (epoch ms),
 * after which it reads as 0 (a budget's period ending).
 */

/** Expiry for counters that never expire (attribution totals). */
export const NEVER = 0;

export interface StoreEntry {
  readonly key: string;
  readonly value: number;
  /** epoch ms, or NEVER */
  readonly expiresAt: number;
}

/** A token bucket: holds at most `capacity` tokens, refilled continuously at `refillPerSecond`. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface BucketTake {
  /** whether `cost` was taken */
  readonly allowed: boolean;
  /** tokens left after the call (may be below 0 after a forced take: a debt later takes wait out) */
  readonly remaining: number;
  /** when not allowed: ms until the bucket holds `cost` again (the Retry-After); else 0 */
  readonly retryAfterMs: number;
}

/**
 * What a store answers: the value itself when it has it at once (the in-process store: no
 * promise and no turn of the event loop per operation on the hot path), else a promise of it
 * (Redis). `await` takes either; a hot path tests for a Promise and awaits only then.
 */
export type Maybe<T> = T | Promise<T>;

/** Wait for the promises among `results`, if any (an in-process store answers at once). */
export function settled(results: ReadonlyArray<Maybe<unknown>>): Promise<void> | undefined {
  const pending = results.filter((r) => r instanceof Promise);
  return pending.length === 0 ? undefined : Promise.all(pending).then(() => undefined);
}

export interface SharedStore {
  /** `memory` or `redis`: which implementation holds the state (for logs and /admin/spend) */
  readonly kind: string;
  /** Add `amount` (may be negative) to `key`, creating it at 0 with expiry `expiresAt`; the new value. */
  incrBy(key: string, amount: number, expiresAt: number): Maybe<number>;
  /**
   * Add `amount` only if the result stays at or under `limit` (a reservation against a cap);
   * `applied` says whether it did, `value` is the counter after the call either way.
   */
  incrByIfWithin(
    key: string,
    amount: number,
    limit: number,
    expiresAt: number,
  ): Maybe<{ applied: boolean; value: number }>;
  /**
   * Take `cost` tokens from the bucket `key` (refilled up to `now`, epoch ms; a new bucket starts
   * full) if it holds that many. `force` takes them regardless, leaving a debt — for charging
   * what a request really used after the fact (tokens counted when the answer ends). A negative
   * `cost` gives tokens back (never above capacity). Idle buckets may be forgotten once full.
   */
  take(key: string, cost: number, spec: BucketSpec, now: number, force?: boolean): Maybe<BucketTake>;
  /** The counter's value (0 when absent or expired). */
  get(key: string): Maybe<number>;
  /** Every live counter whose key starts with `prefix` (admin views; not for the hot path). */
  scan(prefix: string): Promise<StoreEntry[]>;
  close(): Promise<void>;
}
