/**
 * Pure: an ingest aggregate (plus the ledger and run.json when there are any) → the versioned
 * summary. Thresholds are those the aggregate was ingested for (`IngestOptions.thresholds`).
 */
import { evaluateThresholds } from '../scenarios/thresholds.js';
import type { Aggregate } from './aggregate.js';
import { summarizeBreakdowns, summarizeTimeseries } from './breakdowns.js';
import type { ChaosLog } from './chaos.js';
import { percentileCurve, statsMs } from './histogram.js';
import type { LedgerTotals } from './ledger.js';
import { metricStats, type MetricAcc } from './metric-acc.js';
import { countOf, ratio, round, roundUsd } from './numbers.js';
import type { RunMeta } from './run-meta.js';
import { interruptedOf } from './interrupted.js';
import { findSubmetric } from './submetrics.js';
import { summarizeQuality } from './quality.js';
import { faultWindows, summarizeRegions } from './regions.js';
import { summarizeCache, summarizeCost, type CostInputs } from './summarize-cost.js';
import { SUMMARY_VERSION, type Curve, type LatencyStats, type Summary } from './summary-schema.js';

export interface SummarizeInputs extends CostInputs {
  ledger?: LedgerTotals | null;
  run?: RunMeta | null;
  chaos?: ChaosLog | null;
}

const EMPTY_LATENCY: LatencyStats = { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p95: null, p99: null, p999: null };

function latency(acc: MetricAcc | undefined): LatencyStats {
  return acc?.hist ? statsMs(acc.hist) : EMPTY_LATENCY;
}

function curve(acc: MetricAcc | undefined): Curve {
  return acc?.hist ? percentileCurve(acc.hist) : [];
}

function sorted<T>(map: Map<string, T>, by: (a: [string, T], b: [string, T]) => number): Record<string, T> {
  return Object.fromEntries([...map.entries()].sort(by));
}
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
const byCountDesc = (a: [string, number], b: [string, number]) => b[1] - a[1] || byKey(a, b);

/** Runner samples without run.json (k6, k6-operator): the definition their ttft points name, if they agree on one. */
function ttftDefinitionOfSamples(agg: Aggregate): Summary['run']['ttftDefinition'] {
  const [only, ...more] = agg.ttftDefinitions;
  return more.length === 0 && (only === 'first-byte' || only === 'first-content-chunk') ? only : null;
}

function runInfo(agg: Aggregate, run: RunMeta | null | undefined): Omit<Summary['run'], 'interrupted'> {
  const started = run?.startedAt ? Date.parse(run.startedAt) : agg.firstTimeMs;
  const ended = run?.endedAt ? Date.parse(run.endedAt) : agg.lastTimeMs;
  const durationS = started !== null && ended !== null && ended > started ? round((ended - started) / 1000, 3) : 0;
  return {
    spec: run?.spec ?? null,
    driver: run?.driver ?? null,
    ttftDefinition: run?.ttftDefinition ?? ttftDefinitionOfSamples(agg),
    target: run?.target ?? null,
    seed: run?.seed ?? null,
    startedAt: run?.startedAt ?? (started !== null ? new Date(started).toISOString() : null),
    endedAt: run?.endedAt ?? (ended !== null ? new Date(ended).toISOString() : null),
    durationS,
  };
}

function upstream(ledger: LedgerTotals | null | undefined): Summary['upstream'] {
  if (!ledger) return null;
  return {
    calls: ledger.calls,
    costUsd: roundUsd(ledger.costUsd),
    failedCalls: ledger.failedCalls,
    failedCostUsd: roundUsd(ledger.failedCostUsd),
    tokensIn: ledger.tokensIn,
    tokensOut: ledger.tokensOut,
    cachedTokensIn: ledger.cachedTokensIn,
    cacheWriteTokensIn: ledger.cacheWriteTokensIn,
    cacheSavedUsd: roundUsd(ledger.cacheSavedUsd),
    badLines: ledger.bad.count,
    byEndpoint: sorted(
      new Map([...ledger.byEndpoint].map(([k, e]) => [k, { ...e, statuses: { ...e.statuses }, costUsd: roundUsd(e.costUsd) }])),
      byKey,
    ),
  };
}

function chaos(log: ChaosLog | null | undefined, startedAt: string | null): Summary['chaos'] {
  if (!log) return null;
  const origin = startedAt ? Date.parse(startedAt) : (log.events[0]?.timeMs ?? 0);
  return {
    events: log.events.map((e) => ({
      t: round((e.timeMs - origin) / 1000, 3),
      time: new Date(e.timeMs).toISOString(),
      event: e.event,
      id: e.id,
      fault: e.fault,
      scope: e.scope,
    })),
    badLines: log.bad.count,
    dropped: log.dropped,
  };
}

export function summarize(agg: Aggregate, inputs: SummarizeInputs = {}): Summary {
  const m = (name: string) => agg.metrics.get(name);
  const requests = countOf(m('http_reqs')?.sum ?? 0);
  const info = runInfo(agg, inputs.run);
  const run: Summary['run'] = { ...info, interrupted: interruptedOf(inputs.run, info, requests) };
  const errors = m('http_req_failed')?.nonZero ?? 0;
  const clamped = [...agg.metrics.values()].reduce((n, a) => n + (a.type === 'trend' || a.type === undefined ? (a.hist?.clamped ?? 0) : 0), 0);

  const thresholds = evaluateThresholds(agg.thresholds, (metric, tags) => {
    const acc = Object.keys(tags).length === 0 ? m(metric) : findSubmetric(agg.submetrics, metric, tags);
    return acc ? metricStats(acc, run.durationS) : undefined;
  }).map((t) => ({ ...t, observed: t.observed !== null && Number.isFinite(t.observed) ? t.observed : null }));

  return {
    version: SUMMARY_VERSION,
    run,
    totals: {
      requests,
      ok: Math.max(0, requests - errors),
      errors,
      dropped: countOf(m('dropped_iterations')?.sum ?? 0),
      rps: run.durationS > 0 ? round(requests / run.durationS, 3) : null,
      errorRate: ratio(errors, requests),
    },
    latency: {
      ttft_ms: latency(m('ttft')),
      e2e_ms: latency(m('e2e')),
      itl_ms: latency(m('itl')),
      queue_ms: latency(m('queue_ms')),
      schedule_lag_ms: latency(m('schedule_lag')),
    },
    distributions: { ttft_ms: curve(m('ttft')), e2e_ms: curve(m('e2e')), itl_ms: curve(m('itl')) },
    cache: summarizeCache(agg),
    cost: summarizeCost(agg, requests, inputs),
    tokens: { in: m('tokens_in')?.sum ?? 0, out: m('tokens_out')?.sum ?? 0 },
    attempts: {
      mean: agg.attempts.count > 0 ? round(agg.attempts.sum / agg.attempts.count, 6) : null,
      max: agg.attempts.count > 0 ? agg.attempts.max : null,
      retried: agg.attempts.retried,
    },
    statuses: sorted(agg.statuses, byKey),
    errors: sorted(agg.errors, byCountDesc),
    breakdowns: summarizeBreakdowns(agg),
    upstream: upstream(inputs.ledger),
    quality: summarizeQuality(agg, inputs.ledger),
    chaos: chaos(inputs.chaos, run.startedAt),
    gateway: inputs.gateway ? { ...inputs.gateway, attempts: { ...inputs.gateway.attempts } } : null,
    thresholds,
    ingest: {
      lines: agg.lines,
      points: agg.points,
      metrics: agg.metricLines,
      unknownMetrics: sorted(agg.unknownMetrics, byKey),
      badLines: agg.bad.count,
      badLineSamples: agg.bad.samples.map((s) => ({ ...s })),
      clampedValues: clamped,
      sources: agg.sources.map((x) => ({ ...x })),
    },
    ...regions(agg, inputs.chaos, run.startedAt),
    timeseries: summarizeTimeseries(agg),
  };
}

function regions(agg: Aggregate, log: ChaosLog | null | undefined, startedAt: string | null): Pick<Summary, 'regions'> {
  const startMs = startedAt ? Date.parse(startedAt) : (agg.firstTimeMs ?? 0);
  // buckets count from the series origin (the run start when ingest knew it, else the Unix epoch)
  const offsetS = ((agg.seriesOriginMs ?? 0) - startMs) / 1000;
  const block = summarizeRegions(agg.regions, faultWindows(log, startMs), offsetS);
  return block ? { regions: block } : {};
}
