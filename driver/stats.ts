/**
 * The driver's own in-memory view of its samples, just enough to evaluate k6 thresholds exactly
 * (the HDR report is built later from the NDJSON). Values are kept per metric and tag set;
 * percentiles interpolate between closest ranks as k6's trend sink does.
 */
import { METRICS, type MetricName } from '../scenarios/samples.js';
import type { MetricStats } from '../scenarios/thresholds.js';

interface Series {
  tags: Record<string, string>;
  values: number[];
}

/** Tag sets are usually shared by several points of one request: their keys are computed once. */
const keys = new WeakMap<Record<string, string>, string>();

function tagKey(tags: Record<string, string>): string {
  let k = keys.get(tags);
  if (k === undefined) {
    k = Object.keys(tags)
      .sort()
      .map((name) => `${name}=${tags[name]}`)
      .join('\u0000');
    keys.set(tags, k);
  }
  return k;
}

function kindOf(metric: string): 'counter' | 'gauge' | 'rate' | 'trend' {
  return metric in METRICS ? METRICS[metric as MetricName].type : 'trend';
}

/** k6's percentile: p in [0, 100] over sorted values, linear between closest ranks. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

export class MetricStore {
  private readonly metrics = new Map<string, Map<string, Series>>();

  add(metric: string, value: number, tags: Record<string, string>): void {
    let bySet = this.metrics.get(metric);
    if (!bySet) this.metrics.set(metric, (bySet = new Map()));
    const key = tagKey(tags);
    let s = bySet.get(key);
    if (!s) bySet.set(key, (s = { tags, values: [] }));
    s.values.push(value);
  }

  /** All values of a metric whose samples carry every tag of `filter`. */
  values(metric: string, filter: Record<string, string> = {}): number[] {
    const out: number[] = [];
    const wanted = Object.entries(filter);
    for (const s of this.metrics.get(metric)?.values() ?? []) {
      if (wanted.every(([k, v]) => s.tags[k] === v)) for (const v of s.values) out.push(v);
    }
    return out;
  }

  /**
   * Stats for thresholds. `elapsedMs` is the test time so far (a counter's `rate` is per second).
   * A counter without samples is zero (so `dropped_iterations: count==0` passes); any other
   * metric without samples is undefined, which fails its thresholds as in k6.
   */
  statsFor(metric: string, filter: Record<string, string>, elapsedMs: number): MetricStats | undefined {
    const values = this.values(metric, filter);
    const kind = kindOf(metric);
    const seconds = Math.max(elapsedMs, 1) / 1000;
    if (kind === 'counter') {
      const sum = values.reduce((a, b) => a + b, 0);
      return { count: values.length, value: sum, rate: sum / seconds };
    }
    if (values.length === 0) return undefined;
    if (kind === 'rate') {
      const nonZero = values.filter((v) => v !== 0).length;
      return { count: values.length, rate: nonZero / values.length };
    }
    if (kind === 'gauge') {
      return { count: values.length, value: values[values.length - 1]! };
    }
    const sorted = Float64Array.from(values).sort();
    const arr = Array.from(sorted);
    const sum = arr.reduce((a, b) => a + b, 0);
    return {
      count: arr.length,
      avg: sum / arr.length,
      min: arr[0],
      max: arr[arr.length - 1],
      med: percentileOf(arr, 50),
      percentile: (p) => percentileOf(arr, p),
    };
  }
}
