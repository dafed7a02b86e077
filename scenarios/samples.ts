/**
 * The sample line contract: k6's `--out json` NDJSON. The native driver writes these lines,
 * the k6 entry produces them through k6 itself, the report reads them. Pure TS (k6-safe).
 */

/** Custom metrics every runner emits, with their k6 metric type and value kind. */
export const METRICS = {
  ttft: { type: 'trend', contains: 'time' },
  e2e: { type: 'trend', contains: 'time' },
  itl: { type: 'trend', contains: 'time' },
  queue_ms: { type: 'trend', contains: 'time' },
  tokens_in: { type: 'counter', contains: 'default' },
  tokens_out: { type: 'counter', contains: 'default' },
  cost_usd: { type: 'counter', contains: 'default' },
  cache_hit: { type: 'rate', contains: 'default' },
  attempts: { type: 'trend', contains: 'default' },
  http_reqs: { type: 'counter', contains: 'default' },
  http_req_failed: { type: 'rate', contains: 'default' },
  http_req_duration: { type: 'trend', contains: 'time' },
  dropped_iterations: { type: 'counter', contains: 'default' },
  schedule_lag: { type: 'trend', contains: 'time' },
  /** on cache hits whose source request is known: 1 when the reused answer was for another intent */
  cache_false_hit: { type: 'rate', contains: 'default' },
  /** requests of a class with `residency`: 1 when served from a region outside the allowed ones */
  residency_violation: { type: 'rate', contains: 'default' },
} as const;

export type MetricName = keyof typeof METRICS;
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Tag keys with a meaning across the project. Values are strings, as in k6. */
export const TAG_KEYS = [
  'scenario', 'class', 'provider', 'region', 'model', 'status', 'cache', 'stream', 'error',
  // set when the request class sets them (scenarios/class-schema.ts)
  'tenant', 'feature', 'tier', 'priority', 'residency', 'intent', 'turn',
  // with a spec topology: where the client is, and the gateway region it is routed to
  'client_region', 'gateway_region',
  // on ttft points: how TTFT was measured
  'ttft_def',
] as const;
export type TagKey = (typeof TAG_KEYS)[number];
export type Tags = Partial<Record<TagKey, string>> & Record<string, string>;

/** How TTFT was measured; the report states it. */
export type TtftDefinition = 'first-content-chunk' | 'first-byte';

export interface MetricLine {
  type: 'Metric';
  metric: string;
  data: { name: string; type: MetricType; contains: 'time' | 'default' | 'data'; thresholds: string[]; submetrics: null };
}

export interface PointLine {
  type: 'Point';
  metric: string;
  /** `metadata`: k6's per-sample fields that are not tags (no time series); see REQUEST_ID_METADATA */
  data: { time: string; value: number; tags: Tags; metadata?: Record<string, string> };
}

/**
 * The metadata key (k6 `exec.vu.metrics.metadata`, the native driver on its `http_reqs` point) carrying
 * the request's `x-request-id`, so a report can join a request to the mock ledger's lines for it.
 * Metadata, not a tag: one value per request would make a k6 time series per request.
 */
export const REQUEST_ID_METADATA = 'request_id';

export type SampleLine = MetricLine | PointLine;

export function metricLine(name: MetricName, thresholds: string[] = []): string {
  const m = METRICS[name];
  const line: MetricLine = {
    type: 'Metric',
    metric: name,
    data: { name, type: m.type, contains: m.contains, thresholds, submetrics: null },
  };
  return JSON.stringify(line);
}

/** One Point line. `timeMs` is a Unix epoch in milliseconds (fractions kept to the microsecond). */
export function pointLine(metric: string, value: number, tags: Tags, timeMs: number, metadata?: Record<string, string>): string {
  const line: PointLine = { type: 'Point', metric, data: { time: isoMicros(timeMs), value, tags, ...(metadata ? { metadata } : {}) } };
  return JSON.stringify(line);
}

/**
 * The same line as `pointLine`, from parts already serialized: `timeIso` from `isoMicros`,
 * `tagsJson` from `JSON.stringify(tags)`. For writers that emit several points per event (the
 * driver: a dozen per request, all at one time, over two or three tag sets).
 */
export function pointLineFrom(metric: string, value: number, tagsJson: string, timeIso: string, metadataJson?: string): string {
  const meta = metadataJson === undefined ? '' : `,"metadata":${metadataJson}`;
  return `{"type":"Point","metric":${JSON.stringify(metric)},"data":{"time":"${timeIso}","value":${JSON.stringify(value)},"tags":${tagsJson}${meta}}}`;
}

/** RFC 3339 with microseconds, like k6 (`2026-11-21T17:36:00.123456Z`). */
export function isoMicros(timeMs: number): string {
  const whole = Math.floor(timeMs);
  const micros = Math.round((timeMs - whole) * 1000);
  const iso = new Date(whole).toISOString(); // …ss.mmmZ
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** Parse an RFC 3339 time (any fraction, any offset) to epoch milliseconds; NaN when it is not one. */
export function parseTimeMs(text: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return Number.NaN;
  const base = Date.parse(`${m[1]}${m[3]}`);
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return base + frac;
}

export type ParsedLine = { ok: true; line: SampleLine } | { ok: false; reason: string };

/** Parse one NDJSON line; never throws. Blank lines are not samples and are reported as such. */
export function parseSampleLine(text: string): ParsedLine {
  if (text.trim() === '') return { ok: false, reason: 'blank line' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null) return { ok: false, reason: 'not an object' };
  const o = v as Record<string, unknown>;
  const data = o.data as Record<string, unknown> | undefined;
  if (typeof o.metric !== 'string' || typeof data !== 'object' || data === null) {
    return { ok: false, reason: 'missing metric or data' };
  }
  if (o.type === 'Metric') return { ok: true, line: o as unknown as MetricLine };
  if (o.type === 'Point') {
    if (typeof data.value !== 'number' || !Number.isFinite(data.value)) return { ok: false, reason: 'point without a numeric value' };
    if (typeof data.time !== 'string') return { ok: false, reason: 'point without a time' };
    if (data.tags !== undefined && (typeof data.tags !== 'object' || data.tags === null)) {
      return { ok: false, reason: 'tags is not an object' };
    }
    if (data.tags === undefined) data.tags = {};
    // metadata is optional context: a malformed one is dropped, never a bad line
    if (data.metadata !== undefined && (typeof data.metadata !== 'object' || data.metadata === null || Array.isArray(data.metadata))) delete data.metadata;
    return { ok: true, line: o as unknown as PointLine };
  }
  return { ok: false, reason: `unknown line type ${JSON.stringify(o.type)}` };
}

/**
 * Tag on every `ttft` point naming how it was measured (a `TtftDefinition`): the native driver
 * writes `first-content-chunk`, stock k6 `first-byte` (it only sees `res.timings.waiting`). The
 * report states the definition it found, and can tell when merged runners disagree.
 */
export const TTFT_DEF_TAG = 'ttft_def';
