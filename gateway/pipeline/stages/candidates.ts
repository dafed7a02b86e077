/**
 * candidates: the route's targets the request may use now — not behind an open breaker, not
 * cooling down after a 429 — in the order the route's strategy gives. When none is left the
 * gateway answers at once with its own 503 (or 429) and a Retry-After saying when to come back.
 */
import { StormlabError } from '../../../core/errors.js';
import type { Target } from '../../domain/types.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

export function chooseCandidates(ctx: RequestContext, deps: PipelineDeps): void {
  const now = performance.now();
  const usable: Target[] = [];
  let open = 0;
  let cooling = 0;
  for (const t of ctx.route.targets) {
    if (t.breaker.waitMs(now) > 0) open += 1;
    else if (deps.cooldowns.isCooling(t.key, now)) cooling += 1;
    else usable.push(t);
  }
  ctx.candidates = usable.length > 0 ? ctx.route.strategy.order(ctx, usable) : [];
  if (ctx.candidates.length > 0) return;

  const route = ctx.route.model;
  if (usable.length > 0) {
    throw new StormlabError('GW_FORBIDDEN', `the ${ctx.route.strategy.name} strategy of "${route}" has no target for this request`);
  }
  const waits = ctx.route.targets.map((t) => deps.waitMs(t, now)).filter((w) => w > 0);
  ctx.retryAfterMs = waits.length > 0 ? Math.min(...waits) : 1000;
  const why = [open ? `${open} behind an open circuit breaker` : '', cooling ? `${cooling} rate-limited (cooling down)` : '']
    .filter(Boolean)
    .join(', ');
  if (cooling > 0 && open === 0) throw new StormlabError('GW_UPSTREAM_RATE_LIMITED', `every target of "${route}" is rate-limited: ${why}`);
  throw new StormlabError('GW_UPSTREAM_UNAVAILABLE', `no target of "${route}" is available: ${why}`);
}
