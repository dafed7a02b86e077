/**
 * The response cache: on the way in, an exact lookup and then a semantic one; on the way out,
 * a complete answer written to both. Entries are kept apart per route, output parameters,
 * tenant (unless `perTenant: false`) and scope: an entry belongs to the region (or zone) of the
 * upstream that served it and is served only to requests bound for that region (or zone), or
 * anywhere with `scope: global`.
 */
import { randomUUID } from 'node:crypto';
import { estimateTokens } from '../../core/tokens.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { ChatRequest } from '../domain/request.js';
import type { Upstream } from '../domain/types.js';
import type { AttemptContext } from '../upstream/context.js';
import type { CacheConfig, CacheScope } from './config.js';
import type { EmbeddingCache } from './embedder.js';
import type { CacheEntry } from './entry.js';
import type { ExactStore } from './exact-store.js';
import { isMultiTurn, queryText, requestKeys, scoped, type RequestKeys } from './request-key.js';
import type { SemanticStore } from './semantic-store.js';

export type CacheOutcome = 'miss' | 'exact' | 'semantic';

/** How one route (and feature) is cached. */
export interface CachePolicy {
  readonly ttlClass: string;
  readonly ttlMs: number;
  readonly exact: boolean;
  /** undefined: no semantic lookup */
  readonly threshold: number | undefined;
  readonly multiTurn: boolean;
  /** longer user messages skip the semantic lookup */
  readonly maxQueryTokens: number;
}

export interface CacheHit {
  readonly entry: CacheEntry;
  readonly similarity: number;
}

/** What a lookup learned, kept on the request until settle writes the answer back. */
export interface CacheState {
  readonly policy: CachePolicy;
  readonly keys: RequestKeys;
  readonly tenant: string;
  outcome: CacheOutcome;
  hit?: CacheHit;
  /** the last user message's vector, when it was embedded */
  vector?: Float32Array;
  /** why the semantic cache was not asked (multi_turn, no_text, long_query, embeddings_failed) */
  semanticSkipped?: string;
}

/** What a lookup reads of the request. */
export interface LookupInput extends AttemptContext {
  readonly route: AttemptContext['route'];
  readonly request: ChatRequest;
  readonly feature: string | undefined;
  readonly tenant: string;
  /** the upstream the request would be sent to now (its region is the request's) */
  readonly bound: Upstream;
  /** the client asked for a fresh answer (`cache-control: no-cache`): no match, but the answer is written */
  readonly refresh?: boolean;
}

/** A complete answer to write back. */
export interface Answered {
  readonly requestId: string;
  readonly completion: ChatCompletion;
  readonly served: { readonly key: string; readonly upstream: Upstream; readonly model: string };
  readonly costUsd: number | undefined;
  readonly maxTokens: number | undefined;
}

export function scopeLabel(scope: CacheScope, upstream: Pick<Upstream, 'region' | 'zone'>): string {
  if (scope === 'global') return 'global';
  return scope === 'zone' ? `zone:${upstream.zone}` : `region:${upstream.region}`;
}

/** The request's output cap. */
export function capOf(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/**
 * May an exact entry answer a request with this cap? An answer that stopped on its own serves
 * any cap it fits under; one cut at its cap serves only that cap.
 */
export function fitsCap(entry: CacheEntry, cap: number | undefined): boolean {
  const choice = entry.completion.choices[0];
  const used = entry.completion.usage?.completion_tokens;
  if (choice?.finish_reason === 'length' || used === undefined) return entry.maxTokens === cap;
  return cap === undefined || used <= cap;
}

export interface ResponseCacheDeps {
  readonly exact: ExactStore;
  readonly semantic?: SemanticStore;
  readonly embeddings?: EmbeddingCache;
  /** epoch ms */
  readonly now: () => number;
}

export class ResponseCache {
  /** policies by route (and `route\0feature` for a feature the config names): config alone decides them */
  private readonly policies = new Map<string, CachePolicy | undefined>();
  /** what entries say of the target that served them, one object per target key */
  private readonly targets = new Map<string, CacheEntry['target']>();
  /** each upstream's scope label (`region:us-east`) */
  private readonly scopes = new WeakMap<Pick<Upstream, 'region' | 'zone'>, string>();

  constructor(
    readonly config: CacheConfig,
    private readonly deps: ResponseCacheDeps,
  ) {}

  /** The route's (and feature's) policy; undefined when the route is not cached. */
  policy(route: string, feature: string | undefined): CachePolicy | undefined {
    const r = this.config.routes[route];
    // a feature without a TTL class of its own has the route's policy (features are named by clients: unbounded)
    const key = feature !== undefined && r?.features[feature] !== undefined ? `${route}\u0000${feature}` : route;
    if (this.policies.has(key)) return this.policies.get(key);
    const p = this.makePolicy(route, feature);
    this.policies.set(key, p);
    return p;
  }

  private scopeOf(upstream: Pick<Upstream, 'region' | 'zone'>): string {
    let s = this.scopes.get(upstream);
    if (s === undefined) this.scopes.set(upstream, (s = scopeLabel(this.config.scope, upstream)));
    return s;
  }

  private makePolicy(route: string, feature: string | undefined): CachePolicy | undefined {
    const r = this.config.routes[route];
    if (!r) return undefined;
    const ttlClass = (feature !== undefined ? r.features[feature] : undefined) ?? r.ttl;
    const sem = this.config.semantic;
    const on = sem !== undefined && this.deps.semantic !== undefined && r.semantic !== false;
    const threshold = on && r.semantic !== false ? (r.semantic.threshold ?? sem.threshold) : undefined;
    const multiTurn = r.semantic !== false && (r.semantic.multiTurn ?? sem?.multiTurn ?? false);
    const maxQueryTokens = sem?.maxQueryTokens ?? 0;
    return { ttlClass, ttlMs: this.config.ttlClasses[ttlClass] ?? 0, exact: r.exact, threshold, multiTurn, maxQueryTokens };
  }

  /**
   * Look the request up: exact, then semantic. The in-process exact store answers at once, and
   * so does this when no semantic lookup follows; otherwise (Redis, embeddings) a promise.
   */
  lookup(input: LookupInput): CacheState | undefined | Promise<CacheState | undefined> {
    const policy = this.policy(input.route.model, input.feature);
    if (!policy) return undefined;
    const tenant = this.config.perTenant ? input.tenant : '*';
    const state: CacheState = { policy, keys: requestKeys(input.route.model, input.request), tenant, outcome: 'miss' };
    const scope = this.scopeOf(input.bound);
    if (!policy.exact || input.refresh) return this.afterExact(input, state, scope, undefined);
    const now = this.deps.now();
    const e = this.deps.exact.get(scoped(state.keys.exact, tenant, scope), now);
    if (e instanceof Promise) return e.then((got) => this.afterExact(input, state, scope, got, now));
    return this.afterExact(input, state, scope, e, now);
  }

  private afterExact(
    input: LookupInput,
    state: CacheState,
    scope: string,
    e: CacheEntry | undefined,
    now = 0,
  ): CacheState | Promise<CacheState> {
    if (e && e.expiresAt > now && fitsCap(e, capOf(input.request))) {
      state.outcome = 'exact';
      state.hit = { entry: e, similarity: 1 };
      return state;
    }
    const { semantic, embeddings } = this.deps;
    if (state.policy.threshold === undefined || !semantic || !embeddings) return state;
    return this.semanticLookup(input, state, scope);
  }

  private async semanticLookup(input: LookupInput, state: CacheState, scope: string): Promise<CacheState> {
    const { semantic, embeddings } = this.deps;
    const policy = state.policy;
    if (policy.threshold === undefined || !semantic || !embeddings) return state;
    const text = queryText(input.request.messages);
    if (!policy.multiTurn && isMultiTurn(input.request.messages)) state.semanticSkipped = 'multi_turn';
    else if (text === undefined) state.semanticSkipped = 'no_text';
    else if (estimateTokens(text) > policy.maxQueryTokens) state.semanticSkipped = 'long_query';
    else {
      state.vector = await embeddings.vector(input, text);
      if (!state.vector) state.semanticSkipped = 'embeddings_failed';
    }
    if (!state.vector || input.refresh) return state;
    const partition = scoped(state.keys.partition, state.tenant, scope);
    const m = semantic.find(partition, state.vector, policy.threshold, this.deps.now(), () => true);
    if (m) {
      state.outcome = 'semantic';
      state.hit = m;
    }
    return state;
  }

  /** Write a complete answer back (a missed lookup's request only). */
  write(state: CacheState, a: Answered): CacheEntry | undefined {
    if (state.outcome !== 'miss' || state.policy.ttlMs <= 0) return undefined;
    const choice = a.completion.choices[0];
    const plainText = a.completion.choices.length === 1 && typeof choice?.message.content === 'string' && !choice.message.tool_calls;
    if (!plainText) return undefined;
    const now = this.deps.now();
    const up = a.served.upstream;
    const entry: CacheEntry = {
      id: randomUUID().slice(0, 13),
      sourceRequestId: a.requestId,
      completion: a.completion,
      target: this.targetOf(a.served),
      costUsd: a.costUsd,
      maxTokens: a.maxTokens,
      storedAt: now,
      expiresAt: now + state.policy.ttlMs,
    };
    const scope = this.scopeOf(up);
    if (state.policy.exact) {
      // a shared store's failure costs a future hit, never this answer
      const written = this.deps.exact.set(scoped(state.keys.exact, state.tenant, scope), entry, state.policy.ttlMs);
      if (written) written.catch(() => undefined);
    }
    const { semantic } = this.deps;
    if (state.vector && semantic) semantic.add(scoped(state.keys.partition, state.tenant, scope), state.vector, entry);
    return entry;
  }

  private targetOf(served: Answered['served']): CacheEntry['target'] {
    let t = this.targets.get(served.key);
    const up = served.upstream;
    if (!t || t.upstream !== up.id || t.region !== up.region || t.zone !== up.zone) {
      t = { key: served.key, upstream: up.id, provider: up.provider, region: up.region, zone: up.zone };
      this.targets.set(served.key, t);
    }
    return t;
  }

  /** entries held: exact and semantic */
  sizes(): { exact: number; semantic: number } {
    return { exact: this.deps.exact.size(), semantic: this.deps.semantic?.size ?? 0 };
  }
}
