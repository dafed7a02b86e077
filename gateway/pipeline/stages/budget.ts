/**
 * budget (admission, after select): a soft budget at its cap moves the request to its
 * `degradeTo` route (said in `x-gateway-degraded`); then every hard budget reserves the
 * request's worst-case cost — prompt tokens at the route's dearest input price plus max_tokens
 * at its dearest output price — or refuses it with 402 GW_BUDGET_EXCEEDED and Retry-After to
 * the reset. Settle replaces the reservation with the real cost.
 */
import type { Budgets, Reservation, SpendSubject } from '../../admission/budgets.js';
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

/** At once with the in-process store and no soft budget; a promise otherwise. */
export function admitBudget(ctx: RequestContext, deps: PipelineDeps): void | Promise<void> {
  const budgets = deps.budgets;
  const subject = requestSubject(ctx);
  ctx.spend = { subject, holds: [] };
  if (budgets.configs.length === 0) return;
  if (budgets.hasSoft) return softThenHard(ctx, deps, subject);
  const r = budgets.reserve(subject, estimateUsd(ctx, ctx.route));
  return r instanceof Promise ? r.then((got) => reserved(ctx, budgets, got)) : reserved(ctx, budgets, r);
}

/** A soft budget at its cap moves the request to its cheaper route first. */
async function softThenHard(ctx: RequestContext, deps: PipelineDeps, subject: SpendSubject): Promise<void> {
  const soft = await deps.budgets.degradation(subject);
  const to = soft?.degradeTo === undefined ? undefined : deps.routes.get(soft.degradeTo);
  if (soft && to) degradeTo(ctx, subject, to, `budget=${soft.id}`);
  return reserved(ctx, deps.budgets, await deps.budgets.reserve(subject, estimateUsd(ctx, ctx.route)));
}

function reserved(ctx: RequestContext, budgets: Budgets, r: Reservation): void | Promise<void> {
  if (r.refused) {
    ctx.retryAfterMs = r.retryAfterMs;
    throw r.refused;
  }
  if (ctx.abortCause === 'client') {
    // the client left while the store answered: settle has already run without these holds
    return budgets.release(r.holds);
  }
  if (ctx.spend) ctx.spend.holds = r.holds;
}
