/**
 * What the admission stages (rate limits, budgets) share: who the request is, and moving it to a
 * cheaper route when a policy says so.
 */
import type { RequestSubject } from '../admission/subject.js';
import type { Route } from '../domain/route.js';
import type { RequestContext } from './context.js';

/** The request's dimensions, as budgets and rate limits match and count them. */
export function requestSubject(ctx: RequestContext): RequestSubject {
  const p = ctx.principal;
  return { key: p.keyId, tenant: p.tenant, tier: p.tier, user: p.user, feature: ctx.feature, model: ctx.route.model };
}

/**
 * Move the request to `to`: said in `x-gateway-degraded` (`policy`, then from= and to= models);
 * the subject's model and the request's deadline follow the new route.
 */
export function degradeTo(ctx: RequestContext, subject: RequestSubject, to: Route, policy: string): void {
  ctx.degrade(`${policy}; from=${ctx.route.model}; to=${to.model}`);
  ctx.route = to;
  subject.model = to.model;
  ctx.setDeadline(to.timeouts.totalMs);
}
