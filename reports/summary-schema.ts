/**
 * summary.json, version 3: the stable shape `compare` and `gate` read (published as JSON Schema in
 * docs/summary.schema.json; versions 1 and 2 are upgraded on read, see summary-read.ts). Conventions:
 * - times in milliseconds (`*_ms`), money in USD, rates as fractions 0–1;
 * - "no data" is null, never 0: a latency block with count 0 has null min/max/mean/percentiles,
 *   and a ratio with a zero denominator (errorRate without requests, hitRate without lookups) is null;
 * - requests are http_reqs points; errors are http_req_failed = 1; ok = requests − errors;
 *   dropped is the dropped_iterations sum (starts the open model could not make, never hidden).
 */
import { z } from 'zod';

const count = z.int().nonnegative();
const nullableNumber = z.number().nullable();
const counts = z.record(z.string(), count);

export const LatencyStatsSchema = z.strictObject({
  count,
  min: nullableNumber,
  max: nullableNumber,
  mean: nullableNumber,
  p50: nullableNumber,
  p90: nullableNumber,
  p95: nullableNumber,
  p99: nullableNumber,
  p999: nullableNumber,
});
export type LatencyStats = z.output<typeof LatencyStatsSchema>;

export const GroupSummarySchema = z.strictObject({
  requests: count,
  errors: count,
  errorRate: nullableNumber,
  ttft_p50_ms: nullableNumber,
  ttft_p99_ms: nullableNumber,
  e2e_p50_ms: nullableNumber,
  e2e_p99_ms: nullableNumber,
  /** the gateway's pacing-queue wait (`queue_ms`, x-gateway-queue-ms); null when it reported none */
  queue_p50_ms: nullableNumber.default(null),
  queue_p99_ms: nullableNumber.default(null),
  costUsd: z.number(),
});
export type GroupSummary = z.output<typeof GroupSummarySchema>;
const groups = z.record(z.string(), GroupSummarySchema);

export const EndpointSummarySchema = z.strictObject({
  calls: count,
  ok: count,
  errors: count,
  statuses: counts,
  costUsd: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
});

/** Share of adequate answers (the mock fleet's quality verdicts) in one group. */
export const AdequacySchema = z.strictObject({
  judged: count,
  adequate: count,
  /** answers without a verdict (a cache hit, no ledger line for the request) */
  unjudged: count,
  /** adequate / judged; null when nothing was judged */
  share: nullableNumber,
});
export type Adequacy = z.output<typeof AdequacySchema>;
const adequacy = z.record(z.string(), AdequacySchema);

/** HDR-style percentile curve: value at percentiles 0, 50, 75, 87.5, … up to the resolution of the count. */
export const CurveSchema = z.array(z.strictObject({ p: z.number().min(0).max(100), ms: z.number() }));
export type Curve = z.output<typeof CurveSchema>;

export const ChaosEventSchema = z.strictObject({
  /** seconds since the run start */
  t: z.number(),
  time: z.string(),
  event: z.enum(['start', 'stop']),
  id: z.string(),
  fault: z.string(),
  scope: z.string(),
});
export type ChaosEventSummary = z.output<typeof ChaosEventSchema>;

/** Version 3: a run stopped before its schedule ended, and what it covers next to what was planned. */
export const InterruptedSchema = z.strictObject({
  /**
   * `stopped`: a first SIGINT/SIGTERM stopped the load gracefully and the report covers what ran;
   * `aborted`: a second signal cut it at once; `failed`: an error ended it; `killed`: the CLI died
   * without saying (e.g. SIGKILL)
   */
  how: z.enum(['stopped', 'aborted', 'failed', 'killed']),
  /** when the first signal came (`killed`: the last sample's time) */
  at: z.string().nullable(),
  /** SIGINT, SIGTERM …; null when unknown */
  signal: z.string().nullable(),
  /** the schedule: its length, and its starts (null for the closed model, or when run.json does not say) */
  planned: z.strictObject({ durationS: nullableNumber, requests: count.nullable() }),
  /** what ran: the run's duration and its requests (totals.requests) */
  actual: z.strictObject({ durationS: z.number().nonnegative(), requests: count }),
  /** requests still in flight when the grace ran out: cut, without samples; null when unknown */
  cut: count.nullable(),
});
export type Interrupted = z.output<typeof InterruptedSchema>;

const regionPhase = z
  .strictObject({ requests: count, errorRate: nullableNumber, crossRegionShare: nullableNumber, failovers: count })
  .nullable();

const RegionRowSchema = z.strictObject({
  clientRegion: z.string(),
  /** the gateway region its requests went to */
  gatewayRegion: z.string().nullable(),
  /** the lab region that served most of its answers (its usual one) */
  servedFrom: z.string().nullable(),
  requests: count,
  /** of all requests with a client region */
  share: nullableNumber,
  errors: count,
  errorRate: nullableNumber,
  ttft_p50_ms: nullableNumber,
  ttft_p95_ms: nullableNumber,
  ttft_p99_ms: nullableNumber,
  e2e_p50_ms: nullableNumber,
  e2e_p99_ms: nullableNumber,
  /** answered requests served by an upstream outside the gateway's region */
  crossRegionShare: nullableNumber,
  /** answers served away from its usual region (servedFrom) */
  failovers: count,
  /** the spans of the run (seconds since the start) with such answers: the failover events */
  failoverSpans: z.array(z.strictObject({ fromS: z.number(), toS: z.number(), requests: count })),
  /** requests answered after more than one upstream attempt (retries and failovers) */
  retried: count,
  /** the same figures for the seconds a fault was on, and the others; null without faults */
  duringFaults: regionPhase,
  outsideFaults: regionPhase,
});

/** Per client region, for a spec with a topology (reports/regions.ts). */
export const RegionsSchema = z.strictObject({
  /** the chaos log's faults, seconds since the start (toS null: still on at the end) */
  faultWindows: z.array(z.strictObject({ fromS: z.number(), toS: nullableNumber, fault: z.string(), scope: z.string() })),
  /** one per client region */
  rows: z.array(RegionRowSchema),
  /** the same per request class (its clientRegion: the region it is in) */
  classes: z.record(z.string(), RegionRowSchema),
});

export const SummarySchema = z.strictObject({
  version: z.literal(3),
  run: z.strictObject({
    /** null when run.json did not say (a report built from a bare samples file) */
    spec: z.string().nullable(),
    driver: z.enum(['native', 'k6']).nullable(),
    ttftDefinition: z.enum(['first-content-chunk', 'first-byte']).nullable(),
    target: z.string().nullable(),
    seed: z.number().nullable(),
    /** from run.json, else the first and last sample times */
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    durationS: z.number().nonnegative(),
    /** null when the run ended by itself */
    interrupted: InterruptedSchema.nullable(),
  }),
  totals: z.strictObject({
    requests: count,
    ok: count,
    errors: count,
    dropped: count,
    rps: nullableNumber,
    errorRate: nullableNumber,
  }),
  latency: z.strictObject({
    ttft_ms: LatencyStatsSchema,
    e2e_ms: LatencyStatsSchema,
    itl_ms: LatencyStatsSchema,
    queue_ms: LatencyStatsSchema,
    schedule_lag_ms: LatencyStatsSchema,
  }),
  /** HDR percentile curves of the latency metrics, for the distribution charts and overlays */
  distributions: z.strictObject({ ttft_ms: CurveSchema, e2e_ms: CurveSchema, itl_ms: CurveSchema }),
  cache: z.strictObject({
    lookups: count,
    hits: count,
    hitRate: nullableNumber,
    /** hits whose cached answer was stored for another intent; null when the samples cannot tell (no intent tags) */
    falseHits: count.nullable(),
    /** hits that could be checked for a false hit */
    falseHitChecked: count,
    /** falseHits / falseHitChecked; null when unknown */
    falseHitRate: nullableNumber,
  }),
  cost: z.strictObject({
    /** sum of cost_usd as the client saw it (the gateway reports the serving attempt's cost) */
    totalUsd: z.number(),
    per1kUsd: nullableNumber,
    /** standard deviation of the cost of one request (requests without cost_usd count as 0); for the gate's resampling */
    perRequestSdUsd: nullableNumber,
    /** what the mock fleet's ledger billed (every upstream attempt); null without a ledger */
    ledgerUsd: nullableNumber,
    /** ledgerUsd − totalUsd; null without a ledger */
    differenceUsd: nullableNumber,
    /** ledger cost of upstream calls that served nothing (error status, broken or abandoned stream); null without a ledger */
    failedAttemptsUsd: nullableNumber,
    /** differenceUsd − failedAttemptsUsd: what the reconciliation cannot explain (0 when it balances); null without a ledger */
    unexplainedUsd: nullableNumber,
    /** the gateway's own cost counter from metrics.prom; null without a snapshot of stormlab's gateway */
    gatewayUsd: nullableNumber,
    savedByCache: z.strictObject({
      /** what the cache hits would have cost upstream; null when it cannot be estimated */
      usd: nullableNumber,
      requests: count,
      tokensIn: z.number(),
      tokensOut: z.number(),
      /** how it was estimated, or why it could not be */
      basis: z.string(),
    }),
  }),
  tokens: z.strictObject({ in: z.number(), out: z.number() }),
  attempts: z.strictObject({ mean: nullableNumber, max: nullableNumber, retried: count }),
  /** requests by HTTP status (k6 reports 0 for a network error) */
  statuses: counts,
  /** failed requests by error tag (or `status N` when untagged) */
  errors: counts,
  /** request-level breakdowns; `(none)` holds requests without the tag (e.g. that never reached a provider) */
  breakdowns: z.strictObject({ provider: groups, region: groups, class: groups, model: groups, cache: groups }),
  /** the mock fleet's ledger: every upstream attempt, retries and failovers included; null without a ledger */
  upstream: z
    .strictObject({
      calls: count,
      costUsd: z.number(),
      /** calls that served nothing, and what they cost */
      failedCalls: count,
      failedCostUsd: z.number(),
      tokensIn: z.number(),
      tokensOut: z.number(),
      /** prompt tokens the providers' prompt caches served (part of tokensIn, billed at the cached price) */
      cachedTokensIn: z.number().default(0),
      /** prompt tokens written to a prompt cache (Anthropic bills them above the input price) */
      cacheWriteTokensIn: z.number().default(0),
      /** what the prompt caches saved: the calls' cost without caching minus their cost */
      cacheSavedUsd: z.number().default(0),
      badLines: count,
      byEndpoint: z.record(z.string(), EndpointSummarySchema),
    })
    .nullable(),
  /**
   * answer quality from the mock fleet's verdicts (ledger `adequate`); null without a ledger or
   * when the fleet judged nothing
   */
  quality: z
    .strictObject({
      /** what was counted, and what could not be */
      basis: z.string(),
      /** successful requests, by the verdict on the answer they got */
      requests: AdequacySchema,
      byClass: adequacy,
      /** every answered upstream call, by the model and provider that served it */
      byModel: adequacy,
      byProvider: adequacy,
    })
    .nullable(),
  /** the mock fleet's chaos event log; null without chaos.ndjson */
  chaos: z.strictObject({ events: z.array(ChaosEventSchema), badLines: count, dropped: count }).nullable(),
  /** the gateway's /metrics snapshot at the end of the run; null without metrics.prom */
  gateway: z
    .strictObject({
      series: count,
      badLines: count,
      requests: nullableNumber,
      costUsd: nullableNumber,
      failovers: nullableNumber,
      truncations: nullableNumber,
      attempts: z.record(z.string(), z.number()),
    })
    .nullable(),
  thresholds: z.array(z.strictObject({ key: z.string(), threshold: z.string(), ok: z.boolean(), observed: nullableNumber })),
  ingest: z.strictObject({
    lines: count,
    points: count,
    /** `Metric` declaration lines */
    metrics: count,
    /** points of metrics stormlab does not define (k6's own, e.g. http_req_waiting), by metric */
    unknownMetrics: counts,
    badLines: count,
    badLineSamples: z.array(z.strictObject({ line: z.int().positive(), reason: z.string() })),
    /** latency values outside 0 … 1 h, recorded at the edge of the histogram range */
    clampedValues: count,
    /** the sample inputs merged into this report (several runners), with their own counts */
    sources: z.array(z.strictObject({ name: z.string(), lines: count, points: count, badLines: count })),
  }),
  /** per client region; absent when the spec has no topology */
  regions: RegionsSchema.optional(),
  /** one row per second of the run, gaps filled; t = whole seconds since the start */
  timeseries: z.array(
    z.strictObject({
      t: z.int(),
      requests: count,
      errors: count,
      dropped: count,
      ttft_p50_ms: nullableNumber,
      ttft_p99_ms: nullableNumber,
      e2e_p50_ms: nullableNumber,
      e2e_p99_ms: nullableNumber,
    }),
  ),
});
export type Summary = z.output<typeof SummarySchema>;
export const SUMMARY_VERSION = 3;
