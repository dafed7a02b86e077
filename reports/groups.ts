/**
 * Request-level groups for the breakdowns (by provider, region, class, model, cache) and the
 * per-second buckets of the time series. Memory is bounded: a fixed number of groups per
 * dimension (the rest pool in "(other)") and one bucket per second of the run.
 */
import type { Tags } from '../scenarios/samples.js';
import { createHistogram, recordMs, type MsHistogram } from './histogram.js';

export const DIMENSIONS = ['provider', 'region', 'class', 'model', 'cache'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** group of points that lack the tag (e.g. requests that never reached a provider) */
export const UNTAGGED = '(none)';
/** group collecting values past MAX_GROUPS distinct ones */
export const OTHER = '(other)';
export const MAX_GROUPS = 200;

export interface GroupAcc {
  /** http_reqs sum, and http_req_failed non-zero points, carrying this tag value */
  httpReqs: number;
  httpFailed: number;
  /** e2e points and those of failed requests: the request count when http_reqs lack the tag (stock k6 learns the provider only from the response) */
  e2eReqs: number;
  e2eErrors: number;
  costUsd: number;
  ttft: MsHistogram | null;
  e2e: MsHistogram | null;
  /** queue_ms: the gateway's pacing-queue wait */
  queue: MsHistogram | null;
}

export type Groups = Record<Dimension, Map<string, GroupAcc>>;

export function createGroups(): Groups {
  return { provider: new Map(), region: new Map(), class: new Map(), model: new Map(), cache: new Map() };
}

function groupFor(map: Map<string, GroupAcc>, value: string | undefined): GroupAcc {
  let name = value === undefined || value === '' ? UNTAGGED : value;
  let g = map.get(name);
  if (g) return g;
  if (map.size >= MAX_GROUPS) name = OTHER;
  g = map.get(name);
  if (!g) {
    g = { httpReqs: 0, httpFailed: 0, e2eReqs: 0, e2eErrors: 0, costUsd: 0, ttft: null, e2e: null, queue: null };
    map.set(name, g);
  }
  return g;
}

/** A request failed when it carries an error tag or a status outside 2xx/3xx (k6 uses status 0 for network errors). */
export function isFailedTags(tags: Tags): boolean {
  if (tags.error) return true;
  if (tags.status === undefined || tags.status === '') return false;
  const s = Number(tags.status);
  return !Number.isFinite(s) || s < 200 || s >= 400;
}

const GROUP_METRICS = new Set(['http_reqs', 'http_req_failed', 'ttft', 'e2e', 'cost_usd', 'queue_ms']);

/** The groups a tag set falls in, one per dimension (remembered per tags object: a run has few). */
export type GroupMemo = WeakMap<Tags, GroupAcc[]>;

function groupsOf(groups: Groups, tags: Tags, memo: GroupMemo | undefined): GroupAcc[] {
  let accs = memo?.get(tags);
  if (!accs) {
    accs = DIMENSIONS.map((dim) => groupFor(groups[dim], tags[dim]));
    memo?.set(tags, accs);
  }
  return accs;
}

/** Update every dimension's group with one point of a request-level metric. */
export function recordGroups(groups: Groups, onHttp: Set<Dimension>, metric: string, value: number, tags: Tags, memo?: GroupMemo): void {
  if (!GROUP_METRICS.has(metric)) return;
  const accs = groupsOf(groups, tags, memo);
  switch (metric) {
    case 'http_reqs':
      for (let i = 0; i < DIMENSIONS.length; i++) {
        if (tags[DIMENSIONS[i] as Dimension] !== undefined) onHttp.add(DIMENSIONS[i] as Dimension);
        (accs[i] as GroupAcc).httpReqs += value;
      }
      break;
    case 'http_req_failed':
      if (value !== 0) for (const g of accs) g.httpFailed++;
      break;
    case 'ttft':
      for (const g of accs) recordMs((g.ttft ??= createHistogram()), value);
      break;
    case 'e2e': {
      const failed = isFailedTags(tags);
      for (const g of accs) {
        g.e2eReqs++;
        if (failed) g.e2eErrors++;
        recordMs((g.e2e ??= createHistogram()), value);
      }
      break;
    }
    case 'cost_usd':
      for (const g of accs) g.costUsd += value;
      break;
    case 'queue_ms':
      for (const g of accs) recordMs((g.queue ??= createHistogram()), value);
      break;
  }
}

export interface SecondAcc {
  requests: number;
  errors: number;
  dropped: number;
  ttft: MsHistogram | null;
  e2e: MsHistogram | null;
  itl: MsHistogram | null;
}

/** Per-second buckets keyed by whole seconds since the origin (the run start, or the Unix epoch). */
export type Seconds = Map<number, SecondAcc>;

export function secondBucket(seconds: Seconds, second: number): SecondAcc {
  let b = seconds.get(second);
  if (!b) {
    b = { requests: 0, errors: 0, dropped: 0, ttft: null, e2e: null, itl: null };
    seconds.set(second, b);
  }
  return b;
}

export function recordSecond(seconds: Seconds, second: number, metric: string, value: number): void {
  recordInSecond(secondBucket(seconds, second), metric, value);
}

export function recordInSecond(b: SecondAcc, metric: string, value: number): void {
  switch (metric) {
    case 'http_reqs':
      b.requests += value;
      break;
    case 'http_req_failed':
      if (value !== 0) b.errors++;
      break;
    case 'dropped_iterations':
      b.dropped += value;
      break;
    case 'ttft':
      recordMs((b.ttft ??= createHistogram({ compact: true })), value);
      break;
    case 'e2e':
      recordMs((b.e2e ??= createHistogram({ compact: true })), value);
      break;
    case 'itl':
      recordMs((b.itl ??= createHistogram({ compact: true })), value);
      break;
  }
}
