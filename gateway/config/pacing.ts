/**
 * `pacing`: how close to an upstream's known RPM/TPM (`upstreams[].rpm`, `tpm`, `modelLimits`) the
 * gateway sends, and the priority queue that holds the overflow. Shares of the limit: send at most
 * `sustained` over time, queue P1/P2 from `queueAt`, and let nothing (P0 included) past `ceiling`.
 */
import { z } from 'zod';
import { durationMs } from '../../core/duration-schema.js';

const share = z
  .number()
  .gt(0, { message: 'a share of the limit above 0' })
  .max(1, { message: 'a share of the limit, at most 1' });

export const UpstreamLimitsSchema = z.strictObject({
  /** requests per minute */
  rpm: z.int().positive().optional(),
  /** tokens (prompt + output) per minute */
  tpm: z.int().positive().optional(),
});
export type UpstreamLimits = z.output<typeof UpstreamLimitsSchema>;

const LevelSchema = (timeoutMs: number, maxDepth: number, spill: boolean) =>
  z.strictObject({
    /** how long a request may wait in the queue before it is answered 503 GW_QUEUE_TIMEOUT */
    queueTimeout: durationMs.default(timeoutMs),
    /** requests of this level waiting per pacer; past it the target is skipped (GW_QUEUE_FULL when none is left) */
    maxDepth: z.int().nonnegative().default(maxDepth),
    /** a saturated upstream is passed over for a later candidate with headroom before the request queues */
    spill: z.boolean().default(spill),
  });

export const PacingThresholdsSchema = z
  .strictObject({
    sustained: share.default(0.8),
    queueAt: share.default(0.9),
    ceiling: share.default(1),
  })
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (t.queueAt < t.sustained) issue('queueAt', `at least sustained (${t.sustained})`);
    if (t.ceiling < t.queueAt) issue('ceiling', `at least queueAt (${t.queueAt})`);
  });
export type PacingThresholds = z.output<typeof PacingThresholdsSchema>;

export const PacingSchema = z.strictObject({
  thresholds: PacingThresholdsSchema.prefault({}),
  /** P0 is never queued; P1 (near real time) and P2 (batch) wait in each upstream's queue */
  levels: z
    .strictObject({
      P1: LevelSchema(30_000, 1000, true).prefault({}),
      P2: LevelSchema(90_000, 10_000, false).prefault({}),
    })
    .prefault({}),
  /** output tokens counted against TPM for a request without max_tokens */
  assumedOutputTokens: z.int().positive().default(1024),
});
export type PacingConfig = z.output<typeof PacingSchema>;
