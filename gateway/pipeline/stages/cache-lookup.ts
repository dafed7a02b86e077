/**
 * cache: after candidates (so the route, the tenant and the region the request is bound for are
 * known), look the request up — exact, then semantic. A hit answers on its own: failover is
 * skipped and the stored answer is replayed in the client's format (relay/cached.ts). A client
 * may opt out with `cache-control: no-store` (no lookup, no write) or ask for a fresh answer with
 * `cache-control: no-cache` (no lookup; the answer is written).
 */
import type { Committed } from '../../domain/answer.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

export async function lookupCache(ctx: RequestContext, deps: PipelineDeps): Promise<Committed | void> {
  const rt = deps.cache;
  const bound = ctx.candidates[0];
  if (!rt || !bound) return;
  const cc = ctx.http.headers['cache-control'];
  const directives = typeof cc === 'string' ? cc.toLowerCase() : '';
  if (directives.includes('no-store')) return;
  const state = await rt.cache.lookup({
    id: ctx.id,
    trace: ctx.trace,
    route: ctx.route,
    request: ctx.request,
    stream: false,
    promptTokens: ctx.promptTokens,
    // read only if the lookup embeds (an AbortSignal is made on first use)
    get signal() {
      return ctx.signal;
    },
    onAbort: (fn) => ctx.onAbort(fn),
    abortCause: ctx.abortCause,
    totalMs: ctx.totalMs,
    remainingMs: (n) => ctx.remainingMs(n),
    feature: ctx.feature,
    tenant: ctx.principal.tenant,
    bound: bound.upstream,
    refresh: directives.includes('no-cache'),
  });
  if (!state) return;
  ctx.cache = state;
  const model = ctx.route.model;
  rt.metrics.lookups.inc({ model, outcome: state.outcome });
  if (state.semanticSkipped) rt.metrics.semanticSkipped.inc({ model, reason: state.semanticSkipped });
  if (!state.hit) return;
  const target = ctx.route.targets.find((t) => t.key === state.hit?.entry.target.key) ?? bound;
  return { answer: { kind: 'cached', hit: state.hit }, target, leave: () => undefined };
}
