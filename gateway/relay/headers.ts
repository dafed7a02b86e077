/** The response headers that make each routing decision visible, and those earlier stages set (`ctx.headers`). */
import type { Target } from '../domain/types.js';
import type { RequestContext } from '../pipeline/context.js';

export function decisionHeaders(ctx: RequestContext, served: Target): Record<string, string> {
  const h: Record<string, string> = {
    'x-request-id': ctx.id,
    'x-gateway-route': ctx.route.model,
    'x-gateway-strategy': ctx.route.strategy.name,
    'x-gateway-upstream': served.upstream.id,
    'x-gateway-provider': served.upstream.provider,
    'x-gateway-region': served.upstream.region,
    'x-gateway-model': served.model,
    'x-gateway-attempts': String(ctx.attempts.length),
    'x-gateway-queue-ms': String(Math.round(ctx.queueMs)),
  };
  // a soft budget sent the request to a cheaper route
  if (ctx.degraded) h['x-gateway-degraded'] = ctx.degraded;
  if (ctx.cache) h['x-gateway-cache'] = ctx.cache.outcome;
  if (ctx.headers) Object.assign(h, ctx.headers);
  return h;
}
