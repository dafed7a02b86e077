/**
 * Merging the outputs of driver processes that split one spec into segments: one NDJSON file with
 * each Metric line once and every Point, and the spec's thresholds evaluated over the union (a
 * percentile of merged samples, never an average of per-segment percentiles).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseSampleLine } from '../scenarios/samples.js';
import type { Spec } from '../scenarios/spec-schema.js';
import type { ThresholdResult } from '../scenarios/thresholds.js';
import { NdjsonWriter } from './ndjson.js';
import { MetricStore } from './stats.js';
import { evaluateAll } from './thresholds.js';

export interface MergedRun {
  requests: number;
  ok: number;
  errors: number;
  dropped: number;
  /** time from the earliest to the latest point, ms */
  spanMs: number;
  thresholds: ThresholdResult[];
  /** lines written to `out` (when given) */
  lines: number;
}

/**
 * Read segment outputs (`inputs`), optionally write their union to `out`, and evaluate the
 * spec's thresholds over all of it. Unparseable lines are skipped (the report counts them).
 */
export async function mergeSegments(spec: Spec, inputs: readonly string[], out?: string | NodeJS.WritableStream): Promise<MergedRun> {
  const writer = out !== undefined ? new NdjsonWriter(out) : undefined;
  const store = new MetricStore();
  const seenMetrics = new Set<string>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const totals = { requests: 0, errors: 0, dropped: 0 };
  try {
    for (const file of inputs) {
      const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const text of rl) {
        const parsed = parseSampleLine(text);
        if (!parsed.ok) continue;
        const line = parsed.line;
        if (line.type === 'Metric') {
          if (seenMetrics.has(line.metric)) continue;
          seenMetrics.add(line.metric);
          writer?.write(text);
          continue;
        }
        writer?.write(text);
        store.add(line.metric, line.data.value, line.data.tags);
        const t = Date.parse(line.data.time);
        if (t < first) first = t;
        if (t > last) last = t;
        if (line.metric === 'http_reqs') totals.requests += line.data.value;
        else if (line.metric === 'http_req_failed') totals.errors += line.data.value;
        else if (line.metric === 'dropped_iterations') totals.dropped += line.data.value;
      }
    }
  } finally {
    await writer?.close();
  }
  const spanMs = Number.isFinite(first) ? last - first : 0;
  return {
    requests: totals.requests,
    ok: totals.requests - totals.errors,
    errors: totals.errors,
    dropped: totals.dropped,
    spanMs,
    // a counter's rate is per second of the run: the span of the points is the best we know
    thresholds: evaluateAll(spec, store, Math.max(spanMs, 1)),
    lines: writer?.lines ?? 0,
  };
}
