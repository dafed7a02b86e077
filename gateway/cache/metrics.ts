/** The cache's Prometheus series, on the gateway's registry. Labels: route model and fixed outcomes. */
import type { Counter, Gauge, Registry } from '../telemetry/registry.js';

export interface CacheMetrics {
  /** lookups by route model and outcome (miss | exact | semantic) */
  readonly lookups: Counter;
  /** USD the hits saved: what their answers cost upstream when first made */
  readonly savedUsd: Counter;
  /** semantic lookups not made, by reason (multi_turn, no_text, long_query, embeddings_failed) */
  readonly semanticSkipped: Counter;
  /** entries held, by kind (exact, semantic) */
  readonly entries: Gauge;
}

export function createCacheMetrics(r: Registry): CacheMetrics {
  const p = 'stormlab_gateway_cache_';
  return {
    lookups: r.counter(`${p}lookups_total`, 'Response cache lookups, by route model and outcome (miss, exact, semantic).', ['model', 'outcome']),
    savedUsd: r.counter(`${p}saved_usd_total`, 'Upstream cost in USD that cache hits saved, by route model.', ['model']),
    semanticSkipped: r.counter(`${p}semantic_skipped_total`, 'Semantic lookups not made, by route model and reason.', ['model', 'reason']),
    entries: r.gauge(`${p}entries`, 'Response cache entries held in this instance, by kind (exact, semantic).', ['kind']),
  };
}
