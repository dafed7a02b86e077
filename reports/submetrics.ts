/**
 * Tag-filtered submetrics (`ttft{class:chat}`) named by thresholds: tracked during ingest so
 * thresholds can be evaluated afterwards, as k6 does, without keeping the points.
 * Untagged metrics need nothing here: ingest keeps every metric it sees.
 */
import { StormlabError } from '../core/errors.js';
import { parseThreshold, parseThresholdKey } from '../scenarios/thresholds.js';
import { METRICS, type MetricType, type Tags } from '../scenarios/samples.js';
import { createMetricAcc, recordMetric, type MetricAcc } from './metric-acc.js';

/** Spec thresholds: `{ "ttft{class:chat}": ["p(99)<2000"] }` (the spec's own shape). */
export type Thresholds = Record<string, ReadonlyArray<string | { threshold: string }>>;

export interface Submetric {
  key: string;
  tags: ReadonlyArray<readonly [string, string]>;
  acc: MetricAcc;
}

/** metric name → its tag-filtered submetrics */
export type SubmetricIndex = Map<string, Submetric[]>;

/** Check every threshold parses and build the index of tag-filtered keys; errors name the key. */
export function buildSubmetricIndex(thresholds: Thresholds, source = 'thresholds'): SubmetricIndex {
  const index: SubmetricIndex = new Map();
  for (const [key, list] of Object.entries(thresholds)) {
    let parsed: { metric: string; tags: Record<string, string> };
    try {
      parsed = parseThresholdKey(key);
      for (const t of list) parseThreshold(typeof t === 'string' ? t : t.threshold);
    } catch (e) {
      throw new StormlabError('SL_CONFIG_INVALID', `invalid threshold ${JSON.stringify(key)} in ${source}: ${(e as Error).message}`, [
        { file: source, path: `thresholds.${key}`, expected: 'metric{tag:value} with k6 expressions such as "p(99)<2000"' },
      ]);
    }
    const tags = Object.entries(parsed.tags);
    if (tags.length === 0) continue;
    const subs = index.get(parsed.metric) ?? [];
    const normal = normalizedKey(parsed.metric, parsed.tags);
    if (!subs.some((s) => s.key === normal)) subs.push({ key: normal, tags, acc: createMetricAcc(knownType(parsed.metric)) });
    index.set(parsed.metric, subs);
  }
  return index;
}

export function knownType(metric: string): MetricType | undefined {
  return Object.hasOwn(METRICS, metric) ? METRICS[metric as keyof typeof METRICS].type : undefined;
}

export function normalizedKey(metric: string, tags: Record<string, string>): string {
  const parts = Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}:${v}`);
  return parts.length ? `${metric}{${parts.join(',')}}` : metric;
}

/** Record a point into every submetric of its metric whose tag filter it matches. */
export function recordSubmetrics(index: SubmetricIndex, metric: string, type: MetricType | undefined, value: number, tags: Tags): void {
  const subs = index.get(metric);
  if (!subs) return;
  for (const sub of subs) {
    if (!sub.tags.every(([k, v]) => tags[k] === v)) continue;
    if (sub.acc.count === 0 && type !== undefined && sub.acc.type !== type) {
      // the metric's type becomes known with its first point; only trends keep a histogram
      sub.acc = createMetricAcc(type);
    }
    recordMetric(sub.acc, value);
  }
}

export function findSubmetric(index: SubmetricIndex, metric: string, tags: Record<string, string>): MetricAcc | undefined {
  const key = normalizedKey(metric, tags);
  return index.get(metric)?.find((s) => s.key === key)?.acc;
}
