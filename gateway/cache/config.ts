/**
 * `cache:` in the gateway config: TTL classes, the exact and semantic caches, their regional
 * scope, how a hit is replayed to a streaming client, and which routes (and features) use which.
 *
 * ```yaml
 * cache:
 *   ttlClasses: { general: 168h, time-sensitive: 24h }
 *   scope: region                     # region | zone | global: where an entry may be served
 *   semantic: { embeddings: text-embedding-3-small, threshold: 0.93 }
 *   replay: { mode: paced, tokensPerChunk: 4, intervalMs: 5 }
 *   routes:
 *     gpt-4.1-nano: { ttl: general, features: { news: time-sensitive } }
 *     gpt-4.1-mini: { ttl: general, semantic: { threshold: 0.95 } }
 * ```
 */
import { z } from 'zod';
import { durationMs } from '../../core/duration-schema.js';

export const CacheScopeSchema = z.enum(['region', 'zone', 'global']);
export type CacheScope = z.output<typeof CacheScopeSchema>;

const threshold = z.number().min(0.5).max(1);

/** Per-route semantic settings: `false` turns the semantic cache off for the route. */
const RouteSemanticSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** cosine similarity at or above which a stored answer is reused */
    threshold: threshold.optional(),
    /** also look up requests with more than one user turn (off by default) */
    multiTurn: z.boolean().optional(),
  }),
]);

export const CacheRouteSchema = z.strictObject({
  /** the TTL class for this route's entries (a key of `ttlClasses`) */
  ttl: z.string().min(1).default('general'),
  /** feature name → TTL class, over the route's */
  features: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** false: no exact cache for this route */
  exact: z.boolean().default(true),
  semantic: RouteSemanticSchema.default({}),
});
export type CacheRouteConfig = z.output<typeof CacheRouteSchema>;

export const SemanticConfigSchema = z.strictObject({
  /** a routed embeddings model (a `routes[].model` whose targets serve embeddings) */
  embeddings: z.string().min(1),
  /** ask the embeddings model for this many dimensions (default: the model's own) */
  dimensions: z.int().positive().optional(),
  threshold: threshold.default(0.93),
  multiTurn: z.boolean().default(false),
  /**
   * longer user messages (estimated tokens) skip the semantic lookup: over a long text (a document
   * with a one-line instruction) the shared bulk dominates the embedding, and "summarise these
   * notes" and "list their action items" on the same notes look alike (cosine ≈ 0.99)
   */
  maxQueryTokens: z.int().positive().default(256),
  /** an embeddings lookup slower than this is given up (the request goes on as a miss) */
  timeoutMs: z.int().positive().max(60_000).default(1000),
  /** vectors kept per text, so repeated text is embedded once */
  embeddingCacheEntries: z.int().positive().default(10_000),
  /** entries per index (one index per route, parameters, tenant and scope); the oldest go first */
  maxEntries: z.int().positive().default(100_000),
  /** HNSW graph degree and search breadth (hnswlib) */
  m: z.int().min(4).max(64).default(16),
  /** 64 keeps an insert (a cache write, on the event loop) cheap; recall is measured by `npm run bench:cache` */
  efConstruction: z.int().min(16).max(800).default(64),
  /** 32 with a 512-d graph: lookup CPU p99 < 1 ms at 100,000 entries (`npm run bench:cache`, gateway/README.md) */
  efSearch: z.int().min(8).max(800).default(32),
  /**
   * the HNSW graph holds this many leading dimensions of each vector, its candidates re-scored with
   * the full vectors (Matryoshka-style embeddings such as text-embedding-3, whose prefixes keep
   * their neighbourhoods); vectors no longer than this go into the graph whole
   */
  graphDimensions: z.int().min(16).default(512),
});
export type SemanticConfig = z.output<typeof SemanticConfigSchema>;

export const ReplaySchema = z.strictObject({
  /** immediate: a hit's stream is written at once; paced: in chunks, `intervalMs` apart */
  mode: z.enum(['immediate', 'paced']).default('immediate'),
  tokensPerChunk: z.int().positive().default(4),
  intervalMs: z.number().min(0).max(1000).default(5),
});

export type ReplayConfig = z.output<typeof ReplaySchema>;

export const CacheConfigSchema = z
  .strictObject({
    ttlClasses: z.record(z.string().min(1), durationMs).default({ general: 168 * 3_600_000, 'time-sensitive': 24 * 3_600_000 }),
    scope: CacheScopeSchema.default('region'),
    /** entries are kept apart per tenant (a tenant never receives another tenant's answer) */
    perTenant: z.boolean().default(true),
    /** exact entries kept in process; the oldest go first */
    maxEntries: z.int().positive().default(100_000),
    semantic: SemanticConfigSchema.optional(),
    replay: ReplaySchema.prefault({}),
    /** route model → its cache settings; routes not named here are not cached */
    routes: z.record(z.string().min(1), CacheRouteSchema.prefault({})),
  })
  .superRefine((c, ctx) => {
    const classes = Object.keys(c.ttlClasses);
    const expected = `a TTL class declared in cache.ttlClasses (one of ${classes.map((k) => JSON.stringify(k)).join(', ')})`;
    for (const [route, r] of Object.entries(c.routes)) {
      if (!(r.ttl in c.ttlClasses)) ctx.addIssue({ code: 'custom', path: ['routes', route, 'ttl'], message: expected });
      for (const [f, cls] of Object.entries(r.features)) {
        if (!(cls in c.ttlClasses)) ctx.addIssue({ code: 'custom', path: ['routes', route, 'features', f], message: expected });
      }
    }
    for (const [name, ms] of Object.entries(c.ttlClasses)) {
      if (ms <= 0) ctx.addIssue({ code: 'custom', path: ['ttlClasses', name], message: 'a TTL above zero, such as 24h' });
    }
  });
export type CacheConfig = z.output<typeof CacheConfigSchema>;
