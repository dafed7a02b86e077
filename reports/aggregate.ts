/**
 * The aggregate ingest builds from sample points: histograms, counters, rates, groups and
 * per-second buckets. Its size depends on the number of metrics, groups and run seconds,
 * never on the number of points — save the request index (`requests`: the tags of each request
 * whose http_reqs point names its id, for the join with the ledger's quality verdicts; at most
 * MAX_INDEXED_REQUESTS). `summarize` turns it into the versioned summary.
 */
import { METRICS, TTFT_DEF_TAG, type MetricType, type Tags } from '../scenarios/samples.js';
import {
  createGroups,
  MAX_GROUPS,
  OTHER,
  recordGroups,
  recordInSecond,
  secondBucket,
  type Dimension,
  type GroupMemo,
  type Groups,
  type SecondAcc,
  type Seconds,
} from './groups.js';
import { createCacheAcc, FALSE_HIT_METRIC, recordCachePoint, type CacheAcc } from './cache-acc.js';
import type { BadLines } from './lines.js';
import { createMetricAcc, recordMetric, type MetricAcc } from './metric-acc.js';
import { createRegionsAcc, recordRegionPoint, type RegionsAcc } from './regions.js';
import { buildSubmetricIndex, knownType, recordSubmetrics, type SubmetricIndex, type Thresholds } from './submetrics.js';

export interface IngestOptions {
  /** spec thresholds to evaluate; their tag-filtered keys are tracked during ingest */
  thresholds?: Thresholds;
  /** where the thresholds came from, for error messages */
  thresholdsSource?: string;
  /** run start (epoch ms): the per-second series counts from here; default: the Unix epoch, rebased by summarize */
  startMs?: number;
  /** how many bad lines to keep with their reasons (default 10) */
  keepBadLines?: number;
  /** with a spec topology: the lab region a fleet region lies in (per-region cross-region shares) */
  locateRegion?: (fleetRegion: string) => string | undefined;
}

export interface Aggregate {
  lines: number;
  points: number;
  /** `Metric` declaration lines */
  metricLines: number;
  /** points of metrics stormlab does not define (real k6 adds its own), by metric */
  unknownMetrics: Map<string, number>;
  bad: BadLines;
  keepBadLines: number;
  firstTimeMs: number | null;
  lastTimeMs: number | null;
  /** types declared by `Metric` lines */
  declaredTypes: Map<string, MetricType>;
  /** every metric seen, untagged (ttft, e2e, itl, queue_ms, http_reqs, …) */
  metrics: Map<string, MetricAcc>;
  submetrics: SubmetricIndex;
  thresholds: Thresholds;
  statuses: Map<string, number>;
  /** failed requests (http_req_failed = 1) by error tag (statuses and errors hold at most MAX_GROUPS keys, then "(other)") */
  errors: Map<string, number>;
  attempts: { count: number; sum: number; max: number; retried: number };
  groups: Groups;
  /** dimensions seen as a tag on http_reqs; the others count requests from e2e points */
  dimsOnHttp: Set<Dimension>;
  seconds: Seconds;
  /** origin of the `seconds` keys (epoch ms), or null when they are Unix seconds */
  seriesOriginMs: number | null;
  cache: CacheAcc;
  groupMemo: GroupMemo;
  /** per metric name: what recordPoint needs to know, looked up once */
  info: Map<string, MetricInfo>;
  /** the per-second bucket last written (points mostly arrive in time order) */
  lastSecond: { key: number; bucket: SecondAcc | null };
  /** one record per input merged into this aggregate (several runners) */
  sources: Array<{ name: string; lines: number; points: number; badLines: number }>;
  /** the `ttft_def` tags of the ttft points (how TTFT was measured): what a report without run.json says */
  ttftDefinitions: Set<string>;
  /** request id (http_reqs metadata) → the tags of its http_reqs point (shared objects: never mutate) */
  requests: Map<string, Tags>;
  /** requests with an id that did not fit in `requests` */
  requestsUnindexed: number;
  /** per client region (samples tagged `client_region`) */
  regions: RegionsAcc;
}

/** ~100 bytes each: a 2M-request run holds ~200 MB at most */
export const MAX_INDEXED_REQUESTS = 2_000_000;

export function createAggregate(opts: IngestOptions = {}): Aggregate {
  const thresholds = opts.thresholds ?? {};
  return {
    lines: 0,
    points: 0,
    metricLines: 0,
    unknownMetrics: new Map(),
    bad: { count: 0, samples: [] },
    keepBadLines: opts.keepBadLines ?? 10,
    firstTimeMs: null,
    lastTimeMs: null,
    declaredTypes: new Map(),
    metrics: new Map(),
    submetrics: buildSubmetricIndex(thresholds, opts.thresholdsSource),
    thresholds,
    statuses: new Map(),
    errors: new Map(),
    attempts: { count: 0, sum: 0, max: 0, retried: 0 },
    groups: createGroups(),
    dimsOnHttp: new Set(),
    seconds: new Map(),
    seriesOriginMs: opts.startMs ?? null,
    cache: createCacheAcc(),
    info: new Map(),
    groupMemo: new WeakMap(),
    lastSecond: { key: Number.NaN, bucket: null },
    sources: [],
    ttftDefinitions: new Set(),
    requests: new Map(),
    requestsUnindexed: 0,
    regions: createRegionsAcc(opts.locateRegion),
  };
}

export function declareMetric(agg: Aggregate, name: string, type: unknown): void {
  agg.metricLines++;
  if (type === 'counter' || type === 'gauge' || type === 'rate' || type === 'trend') {
    agg.declaredTypes.set(name, type);
    agg.info.delete(name);
  }
}

interface MetricInfo {
  /** defined by the sample contract */
  known: boolean;
  /** read by the report though not (yet) in the contract */
  extra: boolean;
  type: MetricType | undefined;
  /** its accumulator; undefined past MAX_METRICS unknown metrics */
  acc: MetricAcc | undefined;
  series: boolean;
  cache: boolean;
}

function metricInfo(agg: Aggregate, metric: string): MetricInfo {
  let info = agg.info.get(metric);
  if (info && (info.acc || agg.metrics.size >= MAX_METRICS)) return info;
  const known = Object.hasOwn(METRICS, metric);
  const extra = !known && Object.hasOwn(EXTRA_TYPES, metric);
  const type = knownType(metric) ?? (extra ? EXTRA_TYPES[metric] : undefined) ?? agg.declaredTypes.get(metric);
  let acc = agg.metrics.get(metric);
  if (!acc && (known || extra || agg.metrics.size < MAX_METRICS)) {
    acc = createMetricAcc(type);
    agg.metrics.set(metric, acc);
  }
  info = { known, extra, type, acc, series: SERIES_METRICS.has(metric), cache: CACHE_METRICS.has(metric) };
  // a file of ever-new names must not grow this map beyond the metrics kept
  if (acc) agg.info.set(metric, info);
  return info;
}

/** Count under `key`, or under "(other)" once `limit` distinct keys are held. */
function bump(map: Map<string, number>, key: string, limit = MAX_GROUPS): void {
  const k = map.has(key) || map.size < limit ? key : OTHER;
  map.set(k, (map.get(k) ?? 0) + 1);
}

/** metric names kept beyond stormlab's own (k6 has ~20): a file of random names must not exhaust memory */
const MAX_METRICS = 500;

const SERIES_METRICS = new Set(['http_reqs', 'http_req_failed', 'dropped_iterations', 'ttft', 'e2e', 'itl']);
const CACHE_METRICS = new Set(['cache_hit', 'tokens_in', 'tokens_out', 'cost_usd', FALSE_HIT_METRIC]);

/** Metrics the report reads that the sample contract does not define (yet), with their types. */
const EXTRA_TYPES: Readonly<Record<string, MetricType>> = { [FALSE_HIT_METRIC]: 'rate' };

/** Fold one point into the aggregate. */
export function recordPoint(
  agg: Aggregate,
  metric: string,
  value: number,
  tags: Tags,
  timeMs: number,
  requestId?: string,
): void {
  agg.points++;
  if (requestId !== undefined) {
    if (agg.requests.size < MAX_INDEXED_REQUESTS || agg.requests.has(requestId)) agg.requests.set(requestId, tags);
    else agg.requestsUnindexed++;
  }
  if (agg.firstTimeMs === null || timeMs < agg.firstTimeMs) agg.firstTimeMs = timeMs;
  if (agg.lastTimeMs === null || timeMs > agg.lastTimeMs) agg.lastTimeMs = timeMs;
  const info = metricInfo(agg, metric);
  const known = info.known;
  if (!known && !info.extra) bump(agg.unknownMetrics, metric, MAX_METRICS);
  if (info.acc) recordMetric(info.acc, value);
  if (agg.submetrics.size > 0) recordSubmetrics(agg.submetrics, metric, info.type, value, tags);
  if (info.cache) recordCachePoint(agg.cache, metric, value, tags);
  if (!known) return;

  recordGroups(agg.groups, agg.dimsOnHttp, metric, value, tags, agg.groupMemo);
  if (tags.client_region !== undefined) {
    recordRegionPoint(agg.regions, metric, value, tags, Math.floor((timeMs - (agg.seriesOriginMs ?? 0)) / 1000));
  }
  if (info.series) {
    const key = Math.floor((timeMs - (agg.seriesOriginMs ?? 0)) / 1000);
    const last = agg.lastSecond;
    if (key !== last.key || !last.bucket) {
      last.key = key;
      last.bucket = secondBucket(agg.seconds, key);
    }
    recordInSecond(last.bucket, metric, value);
  }
  switch (metric) {
    case 'ttft':
      if (tags[TTFT_DEF_TAG] !== undefined) agg.ttftDefinitions.add(tags[TTFT_DEF_TAG]);
      break;
    case 'http_reqs':
      bump(agg.statuses, tags.status || '(none)');
      break;
    case 'http_req_failed':
      if (value !== 0) bump(agg.errors, errorKey(tags));
      break;
    case 'attempts':
      agg.attempts.count++;
      agg.attempts.sum += value;
      if (value > agg.attempts.max) agg.attempts.max = value;
      if (value > 1) agg.attempts.retried++;
      break;
  }
}

/** The error a failed request is filed under: its error tag, else its status. */
function errorKey(tags: Tags): string {
  if (tags.error) return tags.error;
  if (tags.status) return `status ${tags.status}`;
  return '(untagged)';
}
