/**
 * select: the route for the asked model (if the key may use it), the request's feature,
 * priority and client region (bounded by the key), and the strategy's order of the targets.
 */
import { StormlabError } from '../../../core/errors.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

const PRIORITY = /^P?([0-2])$/i;

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.http.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function selectRoute(ctx: RequestContext, deps: PipelineDeps): void {
  const { principal, request } = ctx;
  const route = deps.routes.get(request.model);
  if (!route) {
    throw new StormlabError('GW_NO_UPSTREAM', `no route serves model "${request.model}"`, [
      { path: 'model', expected: `one of ${deps.routeNames}`, received: request.model },
    ]);
  }
  if (principal.models && !principal.models.includes(route.model)) {
    throw new StormlabError('GW_FORBIDDEN', `this key may not use model "${route.model}"`, [
      { path: 'model', expected: `one of ${principal.models.join(', ')}`, received: route.model },
    ]);
  }
  ctx.route = route;

  const feature = request.metadata?.feature ?? header(ctx, 'x-gateway-feature');
  if (feature !== undefined && principal.features && !principal.features.includes(feature)) {
    throw new StormlabError('GW_FORBIDDEN', `this key may not use feature "${feature}"`, [
      { path: 'metadata.feature', expected: `one of ${principal.features.join(', ')}`, received: feature },
    ]);
  }
  ctx.feature = feature;

  const asked = request.metadata?.priority ?? header(ctx, 'x-gateway-priority');
  const m = asked === undefined ? null : PRIORITY.exec(asked);
  if (asked !== undefined && !m) {
    throw new StormlabError('GW_BAD_REQUEST', `priority "${asked}" is not one of P0, P1, P2`, [
      { path: 'metadata.priority', expected: 'P0, P1 or P2', received: asked },
    ]);
  }
  // a key may ask for less urgency than it is allowed, never more
  ctx.priority = m ? Math.max(Number(m[1]), principal.maxPriority) : Math.max(1, principal.maxPriority);
  ctx.clientRegion = header(ctx, 'x-gateway-client-region') ?? principal.homeRegion;
  ctx.setDeadline(route.timeouts.totalMs);
}
