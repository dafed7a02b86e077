/**
 * Turns results into sample lines: every point is written to the NDJSON output, and the metrics
 * the run needs in memory (those its thresholds name, and the schedule lag) are kept in the store
 * the thresholds read. Points are timed at the request's intended start.
 */
import { outcomeSamples, outcomeTags } from '../scenarios/outcome.js';
import { isoMicros, METRICS, metricLine, pointLineFrom, REQUEST_ID_METADATA } from '../scenarios/samples.js';
import type { MetricName, TtftDefinition } from '../scenarios/samples.js';
import { parseThresholdKey } from '../scenarios/thresholds.js';
import type { Spec } from '../scenarios/spec-schema.js';
import type { NdjsonWriter } from './ndjson.js';
import type { SendResult } from './send.js';
import { MetricStore } from './stats.js';

/** Metrics the driver writes: all of the contract's (`queue_ms` is the gateway's `x-gateway-queue-ms`, when it sends one). */
export const DRIVER_METRICS: readonly MetricName[] = Object.keys(METRICS) as MetricName[];

export const TTFT_DEFINITION = 'first-content-chunk' satisfies TtftDefinition;

/** The metrics a spec's thresholds read (a run keeps only these, plus schedule_lag, in memory). */
export function thresholdMetrics(spec: Spec): Set<string> {
  return new Set(Object.keys(spec.thresholds).map((k) => parseThresholdKey(k).metric));
}

export class Recorder {
  readonly store = new MetricStore();

  constructor(
    private readonly writer: NdjsonWriter,
    /** Unix epoch ms of the test's time zero */
    private readonly epochMs: number,
    /** metrics to keep in `store`; all when absent */
    private readonly keep?: ReadonlySet<string>,
  ) {}

  /** One Metric line per metric, with the spec's thresholds keyed exactly by that metric name. */
  writeMetricLines(spec: Spec): void {
    const byMetric = new Map<string, string[]>();
    for (const [key, list] of Object.entries(spec.thresholds)) {
      const { metric, tags } = parseThresholdKey(key);
      if (Object.keys(tags).length > 0) continue; // submetric thresholds live in the spec
      byMetric.set(metric, list.map((t) => (typeof t === 'string' ? t : t.threshold)));
    }
    for (const m of DRIVER_METRICS) this.writer.write(metricLine(m, byMetric.get(m) ?? []));
  }

  point(metric: MetricName, value: number, tags: Record<string, string>, offsetMs: number): void {
    this.emit(metric, value, tags, JSON.stringify(tags), isoMicros(this.epochMs + offsetMs));
  }

  private emit(
    metric: MetricName,
    value: number,
    tags: Record<string, string>,
    tagsJson: string,
    time: string,
    metadataJson?: string,
  ): void {
    this.writer.write(pointLineFrom(metric, value, tagsJson, time, metadataJson));
    if (!this.keep || this.keep.has(metric)) this.store.add(metric, value, tags);
  }

  /** http_reqs, http_req_failed, http_req_duration and the custom metrics of one finished request. */
  result(r: SendResult, offsetMs: number): void {
    const o = r.outcome;
    const time = isoMicros(this.epochMs + offsetMs);
    const tags = outcomeTags(o.tags, o.status, o.who, o.failure);
    const json = new Map<Record<string, string>, string>();
    const jsonOf = (t: Record<string, string>): string => {
      let j = json.get(t);
      if (j === undefined) json.set(t, (j = JSON.stringify(t)));
      return j;
    };
    // the request id rides on http_reqs only (one point per request is enough to join the ledger)
    const meta = o.requestId === undefined ? undefined : `{"${REQUEST_ID_METADATA}":${JSON.stringify(o.requestId)}}`;
    this.emit('http_reqs', 1, tags, jsonOf(tags), time, meta);
    this.emit('http_req_failed', o.failure ? 1 : 0, tags, jsonOf(tags), time);
    this.emit('http_req_duration', r.httpDurationMs, tags, jsonOf(tags), time);
    for (const s of outcomeSamples(o, TTFT_DEFINITION)) this.emit(s.metric, s.value, s.tags, jsonOf(s.tags), time);
  }
}
