/** The cache a gateway runs with, built from its config: stores, embeddings, metrics. */
import type { Route } from '../domain/route.js';
import type { Registry } from '../telemetry/registry.js';
import type { Accountant } from '../telemetry/accounting.js';
import type { Counter } from '../telemetry/registry.js';
import type { CacheConfig, ReplayConfig } from './config.js';
import { EmbeddingCache, routeEmbedder } from './embedder.js';
import { MemoryExactStore, type ExactStore } from './exact-store.js';
import { createCacheMetrics, type CacheMetrics } from './metrics.js';
import { ResponseCache } from './response-cache.js';
import { PrefixRerankIndex } from './prefix-index.js';
import { SemanticStore } from './semantic-store.js';
import { HnswIndex } from './vector-index.js';

export interface CacheRuntime {
  readonly cache: ResponseCache;
  readonly metrics: CacheMetrics;
  readonly replay: ReplayConfig;
}

export interface CacheBuildDeps {
  readonly routes: ReadonlyMap<string, Route>;
  readonly registry: Registry;
  /** upstream attempts counter (embeddings attempts count like any other) */
  readonly attempts: Counter;
  readonly account: Accountant;
  /** a shared exact store (Redis) instead of the in-process one */
  readonly exactStore?: ExactStore;
  /** epoch ms (tests move it) */
  readonly now?: () => number;
}

export function buildCache(config: CacheConfig, d: CacheBuildDeps): CacheRuntime {
  const metrics = createCacheMetrics(d.registry);
  const sem = config.semantic;
  const embRoute = sem ? d.routes.get(sem.embeddings) : undefined;
  const embeddings =
    sem && embRoute
      ? new EmbeddingCache(
          routeEmbedder(embRoute, { dimensions: sem.dimensions, timeoutMs: sem.timeoutMs }, {
            attempt: (r) => d.attempts.inc({ upstream: r.target.upstream.id, model: r.target.model, outcome: r.outcome }),
            account: (usage, r) => {
              if (usage && typeof usage === 'object') d.account({ completion_tokens: 0, ...usage }, r.target);
            },
          }),
          sem.embeddingCacheEntries,
        )
      : undefined;
  const hnsw = sem ? { m: sem.m, efConstruction: sem.efConstruction, efSearch: sem.efSearch, maxEntries: sem.maxEntries } : undefined;
  const graphDims = sem?.graphDimensions ?? Infinity;
  const semantic = hnsw
    ? new SemanticStore(hnsw, (d) =>
        graphDims < d ? new PrefixRerankIndex(d, graphDims, hnsw) : new HnswIndex(d, hnsw),
      )
    : undefined;
  const cache = new ResponseCache(config, {
    exact: d.exactStore ?? new MemoryExactStore(config.maxEntries),
    ...(semantic ? { semantic } : {}),
    ...(embeddings ? { embeddings } : {}),
    now: d.now ?? Date.now,
  });
  return { cache, metrics, replay: config.replay };
}
