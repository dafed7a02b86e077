/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * delay = random × min(cap, base × 2^n). Spreading retries over the whole interval keeps clients that failed
 * together from coming back together. Randomness is injected so callers can seed it.
 */
import { z } from 'zod';

export const BackoffSchema = z
  .strictObject({
    /** ceiling of the first retry's delay (n = 0) */
    baseMs: z.int().positive().default(100),
    /** no delay ceiling grows past this */
    capMs: z.int().positive().default(2000),
  })
  .refine((b) => b.capMs >= b.baseMs, { message: 'capMs must be at least baseMs', path: ['capMs'] });
export type BackoffOptions = z.output<typeof BackoffSchema>;

/** A source of uniform numbers in [0, 1), like Math.random or core/random's Rng. */
export type Random = () => number;

/** The largest delay retry `n` (0 = the first retry) may wait: min(cap, base × 2^n). */
export function backoffCeilingMs(n: number, opts: BackoffOptions): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`backoff retry number must be an integer >= 0, got ${n}`);
  return Math.min(opts.capMs, opts.baseMs * 2 ** n);
}

/** Full-jitter delay for retry `n`: uniform in [0, ceiling), whole milliseconds. */
export function backoffMs(n: number, opts: BackoffOptions, random: Random): number {
  const r = random();
  const unit = r >= 0 && r < 1 ? r : 0; // a broken source must not produce a negative or oversized wait
  return Math.floor(unit * backoffCeilingMs(n, opts));
}
