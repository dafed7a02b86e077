/**
 * k6 threshold expressions, parsed and evaluated the way k6 does: `p(99)<2000`, `rate<0.01`,
 * `avg<=300`, `count>10`. Pure TS: the native driver and the report share it.
 */

export const THRESHOLD_RE = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|min|max|med|count|rate|value)\s*(<=|>=|<|>|==|===|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;

export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | { percentile: number };
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ParsedThreshold {
  source: string;
  aggregation: Aggregation;
  op: Operator;
  limit: number;
}

export function parseThreshold(source: string): ParsedThreshold {
  const m = THRESHOLD_RE.exec(source);
  if (!m) throw new RangeError(`not a k6 threshold: "${source}" (expected e.g. "p(99)<2000" or "rate<0.01")`);
  const aggregation: Aggregation = m[2] !== undefined ? { percentile: Number(m[2]) } : (m[1] as Aggregation);
  const op = (m[3] === '===' ? '==' : m[3]) as Operator;
  return { source, aggregation, op, limit: Number(m[4]) };
}

/** `ttft{class:chat,stream:true}` → metric and tag filter. */
export function parseThresholdKey(key: string): { metric: string; tags: Record<string, string> } {
  const m = /^([a-z_][a-z0-9_]*)(?:\{([^}]*)\})?$/.exec(key.trim());
  if (!m) throw new RangeError(`not a metric key: "${key}"`);
  const tags: Record<string, string> = {};
  for (const part of (m[2] ?? '').split(',')) {
    if (!part.trim()) continue;
    const i = part.indexOf(':');
    if (i < 0) throw new RangeError(`tag filter "${part}" in "${key}" needs the form tag:value`);
    tags[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return { metric: m[1] as string, tags };
}

/** What a threshold needs to know of one (sub)metric. Absent values make the threshold fail, as in k6. */
export interface MetricStats {
  count: number;
  /** trend aggregations, in the metric's unit (ms for time) */
  avg?: number;
  min?: number;
  max?: number;
  med?: number;
  percentile?: (p: number) => number;
  /** rate metrics: fraction of non-zero samples */
  rate?: number;
  /** counters: sum of values; gauges: last value */
  value?: number;
}

export function aggregate(stats: MetricStats, a: Aggregation): number | undefined {
  if (typeof a === 'object') return stats.count > 0 ? stats.percentile?.(a.percentile) : undefined;
  if (a === 'count') return stats.value ?? stats.count;
  if (a === 'value') return stats.value;
  return stats[a];
}

export function compare(value: number, op: Operator, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export interface ThresholdResult {
  key: string;
  threshold: string;
  ok: boolean;
  /** the observed aggregate, or null when the metric had no samples */
  observed: number | null;
}

/** Evaluate every threshold of a spec against a stats lookup. */
export function evaluateThresholds(
  thresholds: Record<string, ReadonlyArray<string | { threshold: string }>>,
  statsFor: (metric: string, tags: Record<string, string>) => MetricStats | undefined,
): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    const { metric, tags } = parseThresholdKey(key);
    const stats = statsFor(metric, tags);
    for (const t of list) {
      const source = typeof t === 'string' ? t : t.threshold;
      const parsed = parseThreshold(source);
      const observed = stats ? aggregate(stats, parsed.aggregation) : undefined;
      const ok = observed !== undefined && Number.isFinite(observed) && compare(observed, parsed.op, parsed.limit);
      out.push({ key, threshold: source, ok, observed: observed ?? null });
    }
  }
  return out;
}
