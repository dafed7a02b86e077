/**
 * capacity.json, version 1: what `stormlab capacity` found, per gateway config — every step of
 * the search (rate, latency, errors, cost, what the upstreams and the gateway showed), the knee,
 * where the limit came from, and the projections for a traffic profile. Times in ms, money in
 * USD, rates as fractions 0–1, "no data" as null.
 */
import { z } from 'zod';

const nullableNumber = z.number().nullable();
const count = z.int().nonnegative();

export const EndpointLoadSchema = z.strictObject({
  calls: count,
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  rateLimited: count,
  overloaded: count,
  queueP99Ms: nullableNumber,
});
export type EndpointLoad = z.output<typeof EndpointLoadSchema>;

/** The fleet's ledger lines of one step: upstream calls, their queue time and statuses. */
export const UpstreamLoadSchema = z.strictObject({
  calls: count,
  costUsd: z.number(),
  /** calls that waited for a capacity slot, and the queue time over all calls */
  queued: count,
  queueMeanMs: nullableNumber,
  queueP99Ms: nullableNumber,
  /** 429 answers */
  rateLimited: count,
  /** overloaded answers (503, Anthropic's 529) */
  overloaded: count,
  /** other error statuses, broken and abandoned calls */
  otherErrors: count,
  byEndpoint: z.record(z.string(), EndpointLoadSchema),
});
export type UpstreamLoad = z.output<typeof UpstreamLoadSchema>;

export const ObjectiveResultSchema = z.strictObject({
  key: z.string(),
  threshold: z.string(),
  ok: z.boolean(),
  observed: nullableNumber,
});

export const StepSchema = z.strictObject({
  /** the arrival rate asked for, requests per second */
  rate: z.number().positive(),
  /** requests actually sent per second of the step */
  achievedRps: nullableNumber,
  durationS: z.number().nonnegative(),
  /** every SLO objective (and no dropped starts) held */
  ok: z.boolean(),
  objectives: z.array(ObjectiveResultSchema),
  requests: count,
  errors: count,
  errorRate: nullableNumber,
  dropped: count,
  ttftP50Ms: nullableNumber,
  ttftP99Ms: nullableNumber,
  e2eP99Ms: nullableNumber,
  /** what the client was charged (the gateway's cost header), per 1k requests */
  costPer1kUsd: nullableNumber,
  /** what the providers billed (the fleet's ledger: retries and failovers too); null without a ledger */
  ledgerUsd: nullableNumber,
  clientUsd: z.number(),
  cacheHitRate: nullableNumber,
  /** what the cache hits would have cost upstream; null when unknown */
  savedByCacheUsd: nullableNumber,
  /** client-visible statuses */
  statuses: z.record(z.string(), count),
  upstream: UpstreamLoadSchema.nullable(),
  /**
   * the gateway's process CPU over the step, cores = seconds ÷ wall seconds: from its /metrics
   * (process_cpu_*) when it has them, else, for the lab's own gateway, from /proc
   */
  gatewayCpu: z.strictObject({ seconds: z.number(), cores: z.number(), source: z.enum(['metrics', 'proc']) }).nullable(),
  /** the step's run directory, relative to the report */
  runDir: z.string(),
  /** a re-run: the try before it at this rate failed with nothing to explain it (that try's directory) */
  rerunOf: z.string().nullable(),
});
export type Step = z.output<typeof StepSchema>;

export const LimitCauseSchema = z.enum([
  'rate-limits',
  'upstream-overloaded',
  'upstream-queueing',
  'gateway-cpu',
  'gateway-errors',
  'latency',
  'unknown',
]);
export type LimitCause = z.output<typeof LimitCauseSchema>;

export const LimitSchema = z.strictObject({
  /** the leading cause (first of `causes`) */
  cause: LimitCauseSchema,
  causes: z.array(z.strictObject({ cause: LimitCauseSchema, evidence: z.string() })),
  /** the first failing rate the evidence was read at, and the passing rate it is compared with */
  atRate: nullableNumber,
  vsRate: nullableNumber,
});
export type Limit = z.output<typeof LimitSchema>;

export const QuotaSchema = z.strictObject({
  endpoint: z.string(),
  /** requests and tokens per minute at the profile's peak, as measured (the cache's hits spared) */
  rpm: z.number(),
  tpm: z.number(),
  /** as if every request missed the cache */
  rpmNoCache: z.number(),
  tpmNoCache: z.number(),
});

export const ProjectionSchema = z.strictObject({
  dailyRequests: z.number(),
  peakRps: z.number(),
  meanRps: z.number(),
  /** USD per request as the providers bill it, measured at the knee step */
  costPerRequestUsd: z.number(),
  /** the same without the cache's measured savings */
  costPerRequestNoCacheUsd: z.number(),
  dailyUsd: z.number(),
  monthlyUsd: z.number(),
  dailyNoCacheUsd: z.number(),
  monthlyNoCacheUsd: z.number(),
  cacheHitRate: nullableNumber,
  quotas: z.array(QuotaSchema),
  /** knee ÷ peak − 1: the share of extra traffic the setup takes at the peak (negative: short) */
  headroomAtPeak: nullableNumber,
  headroomAtMean: nullableNumber,
  /** copies of the tested setup the peak needs (ceil(peak ÷ knee)) */
  copiesForPeak: z.int().positive().nullable(),
  notes: z.array(z.string()),
});
export type Projection = z.output<typeof ProjectionSchema>;

export const ConfigResultSchema = z.strictObject({
  /** config name (file name without .yaml) or `target` */
  name: z.string(),
  file: z.string().nullable(),
  steps: z.array(StepSchema),
  /** the highest rate that met the SLO, null when none did */
  knee: nullableNumber,
  /** the lowest rate that broke it, null when none did */
  firstFail: nullableNumber,
  /** why the search stopped */
  stop: z.enum(['converged', 'max-rate', 'time-budget', 'max-steps', 'below-min-rate', 'interrupted']),
  limit: LimitSchema.nullable(),
  projection: ProjectionSchema.nullable(),
  /** what a reader should weigh: queueing already at the knee, an open bracket, noisy steps */
  warnings: z.array(z.string()),
});
export type ConfigResult = z.output<typeof ConfigResultSchema>;

export const CapacityReportSchema = z.strictObject({
  version: z.literal(1),
  spec: z.string(),
  slo: z.strictObject({
    text: z.string(),
    objectives: z.array(z.strictObject({ metric: z.string(), threshold: z.string(), source: z.string(), limit: z.number() })),
  }),
  profile: z.strictObject({ text: z.string(), dailyRequests: z.number(), peakRps: z.number() }).nullable(),
  search: z.strictObject({
    startRate: z.number(),
    maxRate: z.number(),
    factor: z.number(),
    tolerance: z.number(),
    stepS: z.number(),
    budgetS: z.number(),
  }),
  target: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string(),
  configs: z.array(ConfigResultSchema),
});
export type CapacityReport = z.output<typeof CapacityReportSchema>;
