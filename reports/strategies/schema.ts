/**
 * strategies.json, version 1: a strategy comparison — the same seeded workload and chaos run under
 * several gateway configs, one row per config, and the recommendation derived from the rows.
 * Conventions as summary.json: ms, USD, rates as fractions 0–1, "no data" is null.
 */
import { z } from 'zod';
import { AdequacySchema } from '../summary-schema.js';

const count = z.int().nonnegative();
const nullableNumber = z.number().nullable();

export const StrategyRowSchema = z.strictObject({
  /** the config's name: a built-in strategy config's name, or the file name without .yaml */
  name: z.string(),
  /** the gateway config file the run used */
  config: z.string(),
  runDir: z.string(),
  /** a signal stopped this run before its schedule ended (its figures cover what ran) */
  interrupted: z.boolean(),
  /** every spec threshold held; null when the spec has none */
  thresholdsOk: z.boolean().nullable(),
  requests: count,
  errors: count,
  errorRate: nullableNumber,
  ttft_p50_ms: nullableNumber,
  ttft_p99_ms: nullableNumber,
  /** USD per 1,000 requests, every upstream attempt billed (the ledger), else what the client saw */
  costPer1kUsd: nullableNumber,
  costBasis: z.enum(['ledger', 'client']),
  cacheHitRate: nullableNumber,
  /** requests that took more than one upstream attempt (retries and failovers) */
  failovers: count,
  failoverRate: nullableNumber,
  /** share of requests served by each provider (requests with no provider, e.g. errors, left out) */
  providerShare: z.record(z.string(), z.number()),
  /** adequate answers among the successful requests; null when the fleet judged nothing */
  quality: AdequacySchema.nullable(),
  qualityByClass: z.record(z.string(), AdequacySchema),
  /** adequate answers by the model that served them */
  qualityByModel: z.record(z.string(), AdequacySchema),
});
export type StrategyRow = z.output<typeof StrategyRowSchema>;

export const RecommendationSchema = z.strictObject({
  /** the one line a person reads */
  text: z.string(),
  /** how the pick was made */
  rule: z.string(),
  baseline: z.string(),
  /** the recommended config; null when no config met the spec's thresholds */
  pick: z.string().nullable(),
  /** the pick against the baseline: cost saved in % (negative: dearer), ms of p99 TTFT, points of quality */
  savingPct: nullableNumber,
  ttftP99DeltaMs: nullableNumber,
  qualityDeltaPoints: nullableNumber,
});
export type Recommendation = z.output<typeof RecommendationSchema>;

export const StrategyComparisonSchema = z.strictObject({
  version: z.literal(1),
  spec: z.string(),
  seed: z.number().nullable(),
  /** configs asked for; fewer rows when a signal stopped the comparison */
  planned: z.array(z.string()),
  configs: z.array(StrategyRowSchema),
  /** configs whose run failed (their gateway would not start, …), with why; the others still ran */
  failed: z.array(z.strictObject({ name: z.string(), message: z.string() })),
  recommendation: RecommendationSchema,
});
export type StrategyComparison = z.output<typeof StrategyComparisonSchema>;
