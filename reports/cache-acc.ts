/**
 * What ingest keeps about the gateway cache beyond the hit rate:
 * - the tokens (and any cost) of requests served from the cache, by provider and model, so the
 *   report can price what the cache saved;
 * - false hits: a request tagged with an `intent` whose cached answer was stored for another
 *   intent. Counted from a `cache_false_hit` rate metric when the samples have one, else from
 *   `cache_hit` points tagged `intent` and `cache_intent` (the cached entry's intent), or tagged
 *   `cache_false_hit: "true" | "false"`. Without any of these the false-hit rate is unknown.
 */
import type { Tags } from '../scenarios/samples.js';

/** A metric the report reads that is not (yet) in the sample contract. */
export const FALSE_HIT_METRIC = 'cache_false_hit';
export const INTENT_TAG = 'intent';
export const CACHED_INTENT_TAG = 'cache_intent';

export interface CacheServed {
  provider: string;
  model: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

export interface CacheAcc {
  /** key `provider\u0000model` */
  served: Map<string, CacheServed>;
  /** from the cache_false_hit metric */
  metricChecked: number;
  metricFalse: number;
  /** from tags on cache_hit points */
  tagChecked: number;
  tagFalse: number;
  /** served record by tags object (a run has few tag sets) */
  memo: WeakMap<Tags, CacheServed>;
}

const MAX_SERVED_KEYS = 500;

export function createCacheAcc(): CacheAcc {
  return { served: new Map(), metricChecked: 0, metricFalse: 0, tagChecked: 0, tagFalse: 0, memo: new WeakMap() };
}

/** A request answered from the cache (exact or semantic); `miss` and untagged are not. */
export function isCacheHitTags(tags: Tags): boolean {
  const c = tags.cache;
  return c !== undefined && c !== '' && c !== 'miss';
}

function servedFor(acc: CacheAcc, tags: Tags): CacheServed | undefined {
  const memo = acc.memo.get(tags);
  if (memo) return memo;
  const provider = tags.provider ?? '';
  const model = tags.model ?? '';
  const key = `${provider}\u0000${model}`;
  let s = acc.served.get(key);
  if (!s && acc.served.size < MAX_SERVED_KEYS) {
    s = { provider, model, requests: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 };
    acc.served.set(key, s);
  }
  if (s) acc.memo.set(tags, s);
  return s;
}

function truthy(v: string): boolean {
  return v === 'true' || v === '1';
}

/** Fold one point of a cache-relevant metric. */
export function recordCachePoint(acc: CacheAcc, metric: string, value: number, tags: Tags): void {
  switch (metric) {
    case FALSE_HIT_METRIC:
      acc.metricChecked++;
      if (value !== 0) acc.metricFalse++;
      return;
    case 'cache_hit': {
      if (value === 0) return;
      const s = servedFor(acc, tags);
      if (s) s.requests++;
      const flag = tags[FALSE_HIT_METRIC];
      const intent = tags[INTENT_TAG];
      const cached = tags[CACHED_INTENT_TAG];
      if (flag !== undefined) {
        acc.tagChecked++;
        if (truthy(flag)) acc.tagFalse++;
      } else if (intent && cached) {
        acc.tagChecked++;
        if (intent !== cached) acc.tagFalse++;
      }
      return;
    }
    case 'tokens_in':
    case 'tokens_out':
    case 'cost_usd': {
      if (!isCacheHitTags(tags)) return;
      const s = servedFor(acc, tags);
      if (!s) return;
      if (metric === 'tokens_in') s.tokensIn += value;
      else if (metric === 'tokens_out') s.tokensOut += value;
      else s.costUsd += value;
      return;
    }
  }
}

/** False hits among the hits that could be checked; null when none could. */
export function falseHits(acc: CacheAcc): { checked: number; false: number; source: 'metric' | 'tags' } | null {
  if (acc.metricChecked > 0) return { checked: acc.metricChecked, false: acc.metricFalse, source: 'metric' };
  if (acc.tagChecked > 0) return { checked: acc.tagChecked, false: acc.tagFalse, source: 'tags' };
  return null;
}
