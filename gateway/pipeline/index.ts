/**
 * The chat request lifecycle, in one visible order:
 *
 *   trace → auth → parse → select → rate limits → budget → residency → candidates → cache lookup
 *     → failover [ attempt: breaker → send → prime ] → relay (stream or body) → settle
 *
 * `trace` happens as the context is made (http/chat.ts); `settle` runs once when the response
 * is over, whatever happened (http/chat.ts, on the socket's close). Stages before failover are
 * listed in BEFORE_FAILOVER; a stage may answer on its own (a cache hit) by returning an answer.
 */
import type { FastifyReply } from 'fastify';
import type { Committed } from '../domain/answer.js';
import { relayCached } from '../relay/cached.js';
import { relayJson } from '../relay/json.js';
import { relayStream } from '../relay/stream.js';
import type { RequestContext } from './context.js';
import type { PipelineDeps } from './deps.js';
import { authenticate } from './stages/authenticate.js';
import { lookupCache } from './stages/cache-lookup.js';
import { chooseCandidates } from './stages/candidates.js';
import { continueOnFallback } from './stages/continue.js';
import { admitBudget } from './stages/budget.js';
import { parseRequest } from './stages/parse.js';
import { admitRateLimits, requireCacheHit } from './stages/rate-limit.js';
import { failoverPinned, pinToResidency } from './stages/residency.js';
import { selectRoute } from './stages/select.js';

/** A stage: reads and writes the context; returning a committed answer skips failover. */
export type Stage = (ctx: RequestContext, deps: PipelineDeps) => void | Committed | Promise<void | Committed>;

export const BEFORE_FAILOVER: readonly Stage[] = [
  authenticate,
  parseRequest,
  selectRoute,
  admitRateLimits,
  admitBudget,
  pinToResidency,
  chooseCandidates,
  lookupCache,
  // over a cache-only rate limit, a miss ends here (a hit was answered by the lookup)
  requireCacheHit,
];

/** Run a request through every stage up to the relay; `onCommit` learns the serving target's release. */
export async function runChat(
  ctx: RequestContext,
  deps: PipelineDeps,
  reply: FastifyReply,
  onCommit: (leave: () => void) => void,
): Promise<FastifyReply | void> {
  let committed: Committed | undefined;
  for (const stage of BEFORE_FAILOVER) {
    // a stage that answered at once is not awaited: no microtask turn per stage
    let r = stage(ctx, deps);
    if (r instanceof Promise) r = await r;
    if (r) {
      committed = r;
      break;
    }
  }
  // a pinned tenant's failover never leaves its regions, and may wait for them (stages/residency.ts)
  committed ??= await failoverPinned(ctx, deps);
  onCommit(committed.leave);
  const { answer, target } = committed;
  if (answer.kind === 'cached') return relayCached(ctx, answer.hit, reply, deps, deps.cache?.replay ?? { mode: 'immediate', tokensPerChunk: 4, intervalMs: 0 });
  if (answer.kind === 'json') {
    ctx.outcome.status = 200;
    return relayJson(ctx, answer.completion, target, reply, deps);
  }
  await relayStream(ctx, { answer, target, leave: committed.leave }, reply, deps, (broken, text) => continueOnFallback(ctx, deps, broken, text));
}
