/**
 * One step of a capacity search, digested: the step's summary (built from its samples like any
 * run), the fleet's ledger lines of the step (queue time, 429s, overloaded answers per endpoint)
 * and the gateway's process CPU between two /metrics snapshots. Pure.
 */
import { z } from 'zod';
import { createHistogram, percentileMs, recordMs, type MsHistogram } from '../histogram.js';
import { isOkCall, LedgerLineSchema } from '../ledger.js';
import { parsePrometheusText } from '../prom.js';
import type { Summary } from '../summary-schema.js';
import type { EndpointLoad, Step, UpstreamLoad } from './schema.js';

/** The ledger fields a capacity step reads beyond the report's: time spent queueing for a slot. */
const CapacityLedgerLineSchema = LedgerLineSchema.extend({ queueMs: z.number().nonnegative().default(0) });

const OVERLOADED = new Set([503, 529]);

/** A request queued this long counts as queued (the mock writes 0 when it got a slot at once). */
const QUEUED_MS = 1;

/** The ledger lines (NDJSON text) of the calls that arrived in [fromMs, toMs): one step's share of a fleet's ledger. */
export function ledgerWindow(ledgerText: string, window: { fromMs: number; toMs: number }): string[] {
  const out: string[] = [];
  for (const text of ledgerText.split('\n')) {
    const m = /"time":"([^"]+)"/.exec(text);
    const at = m ? Date.parse(m[1] as string) : Number.NaN;
    if (at >= window.fromMs && at < window.toMs) out.push(text);
  }
  return out;
}

/** One step's ledger lines → its upstream load. Lines that do not parse are skipped (the step's report counts them). */
export function upstreamLoad(lines: readonly string[]): UpstreamLoad {
  const all = createHistogram();
  const byEndpoint = new Map<string, { load: EndpointLoad; queue: MsHistogram }>();
  const t: UpstreamLoad = {
    calls: 0,
    costUsd: 0,
    queued: 0,
    queueMeanMs: null,
    queueP99Ms: null,
    rateLimited: 0,
    overloaded: 0,
    otherErrors: 0,
    byEndpoint: {},
  };
  let queueSum = 0;
  for (const text of lines) {
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      continue;
    }
    const r = CapacityLedgerLineSchema.safeParse(raw);
    if (!r.success) continue;
    const l = r.data;
    let e = byEndpoint.get(l.endpoint);
    if (!e) {
      const load = { calls: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, rateLimited: 0, overloaded: 0, queueP99Ms: null };
      e = { load, queue: createHistogram() };
      byEndpoint.set(l.endpoint, e);
    }
    t.calls++;
    t.costUsd += l.costUsd;
    e.load.calls++;
    e.load.tokensIn += l.tokensIn;
    e.load.tokensOut += l.tokensOut;
    e.load.costUsd += l.costUsd;
    recordMs(all, l.queueMs);
    recordMs(e.queue, l.queueMs);
    queueSum += l.queueMs;
    if (l.queueMs >= QUEUED_MS) t.queued++;
    if (l.status === 429) {
      t.rateLimited++;
      e.load.rateLimited++;
    } else if (l.status !== null && OVERLOADED.has(l.status)) {
      t.overloaded++;
      e.load.overloaded++;
    } else if (!isOkCall(l)) t.otherErrors++;
  }
  if (t.calls > 0) {
    t.queueMeanMs = queueSum / t.calls;
    t.queueP99Ms = percentileMs(all, 99);
  }
  const ids = [...byEndpoint.keys()].sort();
  t.byEndpoint = Object.fromEntries(ids.map((id) => {
    const e = byEndpoint.get(id)!;
    return [id, { ...e.load, queueP99Ms: percentileMs(e.queue, 99) }];
  }));
  return t;
}

/** Process CPU seconds in a Prometheus text snapshot (`process_cpu_seconds_total`, or user + system); null when absent. */
export function processCpuSeconds(promText: string): number | null {
  const { samples } = parsePrometheusText(promText);
  const total = samples.find((s) => s.name === 'process_cpu_seconds_total');
  if (total) return total.value;
  const parts = samples.filter((s) => s.name === 'process_cpu_user_seconds_total' || s.name === 'process_cpu_system_seconds_total');
  return parts.length > 0 ? parts.reduce((a, s) => a + s.value, 0) : null;
}

/** CPU seconds of the gateway process at the start and the end of a step, from /metrics text or counted some other way. */
export interface CpuReadings {
  metrics: { before: string | null; after: string | null };
  /** process CPU seconds read outside the gateway (e.g. /proc for a local child), when /metrics has none */
  proc?: { before: number | null; after: number | null };
}

/** CPU used over a step of `wallS` seconds: /metrics first, then the outside reading; null when neither has both ends. */
export function gatewayCpu(r: CpuReadings, wallS: number): Step['gatewayCpu'] {
  if (!(wallS > 0)) return null;
  const a = r.metrics.before === null ? null : processCpuSeconds(r.metrics.before);
  const b = r.metrics.after === null ? null : processCpuSeconds(r.metrics.after);
  const used = (from: number, to: number, source: 'metrics' | 'proc'): NonNullable<Step['gatewayCpu']> => {
    const seconds = Math.round(Math.max(0, to - from) * 1000) / 1000;
    return { seconds, cores: Math.round((seconds / wallS) * 1000) / 1000, source };
  };
  if (a !== null && b !== null) return used(a, b, 'metrics');
  const pa = r.proc?.before ?? null;
  const pb = r.proc?.after ?? null;
  return pa !== null && pb !== null ? used(pa, pb, 'proc') : null;
}

export interface StepInputs {
  rate: number;
  summary: Summary;
  upstream: UpstreamLoad | null;
  gatewayCpu: Step['gatewayCpu'];
  runDir: string;
}

/** A step's summary and side readings → the step as the capacity report keeps it. */
export function digestStep(i: StepInputs): Step {
  const s = i.summary;
  const objectives = s.thresholds.map((t) => ({ key: t.key, threshold: t.threshold, ok: t.ok, observed: t.observed }));
  // a rate that drops starts (the open model's in-flight cap) is not sustained, whatever the SLO says
  objectives.push({ key: 'dropped_iterations', threshold: 'count<1', ok: s.totals.dropped === 0, observed: s.totals.dropped });
  return {
    rate: i.rate,
    achievedRps: s.totals.rps,
    durationS: s.run.durationS,
    ok: s.thresholds.length > 0 && objectives.every((o) => o.ok),
    objectives,
    requests: s.totals.requests,
    errors: s.totals.errors,
    errorRate: s.totals.errorRate,
    dropped: s.totals.dropped,
    ttftP50Ms: s.latency.ttft_ms.p50,
    ttftP99Ms: s.latency.ttft_ms.p99,
    e2eP99Ms: s.latency.e2e_ms.p99,
    costPer1kUsd: s.cost.per1kUsd,
    ledgerUsd: i.upstream ? i.upstream.costUsd : s.cost.ledgerUsd,
    clientUsd: s.cost.totalUsd,
    cacheHitRate: s.cache.hitRate,
    savedByCacheUsd: s.cost.savedByCache.usd,
    statuses: s.statuses,
    upstream: i.upstream,
    gatewayCpu: i.gatewayCpu,
    runDir: i.runDir,
    rerunOf: null,
  };
}
