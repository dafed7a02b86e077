/**
 * budget (admission, after select): a soft budget at its cap moves the request to its
 * `degradeTo` route (said in `x-gateway-degraded`); then every hard budget reserves the
 * request's worst-case cost — prompt tokens at the route's dearest input price plus max_tokens
 * at its dearest output price — or refuses it with 402 GW_BUDGET_EXCEEDED and Retry-After to
 * the reset. Settle replaces the reservation with the real cost.
 */
import type { Route } from '../../domain/route.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';
import { degradeTo, requestSubject } from '../degrade.js';

/** Worst-case USD of the request on any of the route's targets. */
function estimateUsd(ctx: RequestContext, route: Route): number {
  let input = 0;
  let output = 0;
  for (const t of route.targets) {
    input = Math.max(input, t.price.input);
    output = Math.max(output, t.price.output);
  }
  return (ctx.promptTokens * input + (ctx.maxTokens ?? 0) * output) / 1e6;
}

export async function admitBudget(ctx: RequestContext, deps: PipelineDeps): Promise<void> {
  const budgets = deps.budgets;
  const subject = requestSubject(ctx);
  ctx.spend = { subject, holds: [] };
  if (budgets.configs.length === 0) return;
  const soft = budgets.hasSoft ? await budgets.degradation(subject) : undefined;
  const to = soft?.degradeTo === undefined ? undefined : deps.routes.get(soft.degradeTo);
  if (soft && to) degradeTo(ctx, subject, to, `budget=${soft.id}`);
  const r = await budgets.reserve(subject, estimateUsd(ctx, ctx.route));
  if (r.refused) {
    ctx.retryAfterMs = r.retryAfterMs;
    throw r.refused;
  }
  if (ctx.abortCause === 'client') {
    // the client left while the store answered: settle has already run without these holds
    await budgets.release(r.holds);
    return;
  }
  ctx.spend.holds = r.holds;
}
