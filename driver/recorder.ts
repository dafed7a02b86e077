/**
 * Turns results into sample lines: every point is written to the NDJSON output and kept in the
 * in-memory store the thresholds read. Points are timed at the request's intended start.
 */
import { outcomeSamples, outcomeTags } from '../scenarios/outcome.js';
import { METRICS, metricLine, pointLine, type MetricName, type TtftDefinition } from '../scenarios/samples.js';
import { parseThresholdKey } from '../scenarios/thresholds.js';
import type { Spec } from '../scenarios/spec-schema.js';
import type { NdjsonWriter } from './ndjson.js';
import type { SendResult } from './send.js';
import { MetricStore } from './stats.js';

/** Metrics the driver writes (all of the contract's except `queue_ms`, which the gateway owns). */
export const DRIVER_METRICS: readonly MetricName[] = (Object.keys(METRICS) as MetricName[]).filter((m) => m !== 'queue_ms');

export const TTFT_DEFINITION = 'first-content-chunk' satisfies TtftDefinition;

export class Recorder {
  readonly store = new MetricStore();

  constructor(
    private readonly writer: NdjsonWriter,
    /** Unix epoch ms of the test's time zero */
    private readonly epochMs: number,
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
    this.writer.write(pointLine(metric, value, tags, this.epochMs + offsetMs));
    this.store.add(metric, value, tags);
  }

  /** http_reqs, http_req_failed, http_req_duration and the custom metrics of one finished request. */
  result(r: SendResult, offsetMs: number): void {
    const o = r.outcome;
    const tags = outcomeTags(o.tags, o.status, o.who, o.failure);
    this.point('http_reqs', 1, tags, offsetMs);
    this.point('http_req_failed', o.failure ? 1 : 0, tags, offsetMs);
    this.point('http_req_duration', r.httpDurationMs, tags, offsetMs);
    for (const s of outcomeSamples(o, TTFT_DEFINITION)) this.point(s.metric, s.value, s.tags, offsetMs);
  }
}
