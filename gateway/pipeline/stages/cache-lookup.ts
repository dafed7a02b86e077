/**
 * cache: after candidates (so the route, the tenant and the region the request is bound for are
 * known), look the request up — exact, then semantic. A hit answers on its own: failover is
 * skipped and the stored answer is replayed in the client's format (relay/cached.ts). A client
 * may opt out with `cache-control: no-store` (no lookup, no write) or ask for a fresh answer with
 * `cache-control: no-cache` (no lookup; the answer is written).
 */
import type { CacheState, LookupInput } from '../../cache/response-cache.js';
import type { Committed } from '../../domain/answer.js';
import type { Target, Upstream } from '../../domain/types.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

/**
 * What the lookup reads of the request: the context itself (a class, so no closures are made
 * per request), the tenant, the upstream it is bound for — and `stream: false`, as an embeddings
 * call is never streamed. Its AbortSignal is made only if the lookup embeds.
 */
class Lookup implements LookupInput {
  readonly stream = false;

  constructor(
    private readonly ctx: RequestContext,
    readonly tenant: string,
    readonly bound: Upstream,
    readonly refresh: boolean,
  ) {}

  get id(): string {
    return this.ctx.id;
  }
  get trace(): RequestContext['trace'] {
    return this.ctx.trace;
  }
  get route(): RequestContext['route'] {
    return this.ctx.route;
  }
  get request(): RequestContext['request'] {
    return this.ctx.request;
  }
  get promptTokens(): number {
    return this.ctx.promptTokens;
  }
  get signal(): AbortSignal {
    return this.ctx.signal;
  }
  get abortCause(): RequestContext['abortCause'] {
    return this.ctx.abortCause;
  }
  get totalMs(): number {
    return this.ctx.totalMs;
  }
  get feature(): string | undefined {
    return this.ctx.feature;
  }
  onAbort(fn: (reason: unknown) => void): () => void {
    return this.ctx.onAbort(fn);
  }
  remainingMs(now?: number): number {
    return this.ctx.remainingMs(now);
  }
}

/** At once with the in-process store; a promise with a shared one (Redis) or a semantic lookup. */
export function lookupCache(ctx: RequestContext, deps: PipelineDeps): Committed | void | Promise<Committed | void> {
  const rt = deps.cache;
  const bound = ctx.candidates[0];
  if (!rt || !bound) return;
  const cc = ctx.http.headers['cache-control'];
  const directives = typeof cc === 'string' ? cc.toLowerCase() : '';
  if (directives.includes('no-store')) return;
  const lookup = new Lookup(ctx, ctx.principal.tenant, bound.upstream, directives.includes('no-cache'));
  const answer = rt.cache.lookup(lookup);
  // the in-process store answers at once; a shared one (Redis) with a promise
  return answer instanceof Promise ? answer.then((state) => looked(ctx, rt, bound, state)) : looked(ctx, rt, bound, answer);
}

/** What the lookup found: counted, kept on the request, and a hit committed. */
function looked(ctx: RequestContext, rt: NonNullable<PipelineDeps['cache']>, bound: Target, state: CacheState | undefined): Committed | void {
  if (!state) return;
  ctx.cache = state;
  const model = ctx.route.model;
  rt.metrics.lookups.inc({ model, outcome: state.outcome });
  if (state.semanticSkipped) rt.metrics.semanticSkipped.inc({ model, reason: state.semanticSkipped });
  if (!state.hit) return;
  const target = ctx.route.targets.find((t) => t.key === state.hit?.entry.target.key) ?? bound;
  return { answer: { kind: 'cached', hit: state.hit }, target, leave: () => undefined };
}
