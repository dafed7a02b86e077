/**
 * The gateway's `retry:` config (the lead mounts RetryConfigSchema there): attempts per request, same-target
 * retries, backoff, the retry budget and the longest a Retry-After may cool a target down.
 */
import { z } from 'zod';
import { BackoffSchema } from './backoff.js';
import { RetryBudgetSchema } from './retry-budget.js';

export const RetryConfigSchema = z.strictObject({
  /** attempts per request across all targets, failovers included (1 = no retry); failing over does not reset it */
  maxAttempts: z.int().min(1).max(20).default(4),
  /** retries of a one-off 5xx (or a short 429 wait) on the same target before failing over */
  sameTargetRetries: z.int().min(0).max(5).default(1),
  backoff: BackoffSchema.prefault({}),
  budget: RetryBudgetSchema.prefault({}),
  /**
   * the longest the gateway waits inside a request for a Retry-After with no other target to
   * try; a longer one is answered at once with the gateway's own 429 and that Retry-After
   */
  maxRetryWaitMs: z.int().nonnegative().default(5_000),
  /** a Retry-After longer than this cools a target down for this long only */
  maxCoolDownMs: z.int().positive().default(300_000),
});
export type RetryConfig = z.output<typeof RetryConfigSchema>;
