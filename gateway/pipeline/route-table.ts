/**
 * From config to live routes: one Target per (upstream, model), shared by every route that
 * names it (so its breaker, stats and cool-down are the target's, not the route's), and one
 * strategy per route.
 */
import type { GatewayConfig } from '../config/schema.js';
import { modelInfo } from '../config/models.js';
import type { TargetConfig } from '../config/route.js';
import type { Route } from '../domain/route.js';
import type { Breaker, Target, Upstream } from '../domain/types.js';
import { priceFor } from '../prices.js';
import { createStrategy } from '../routing/registry.js';

export interface RouteTableDeps {
  readonly upstreams: ReadonlyMap<string, Upstream>;
  /** a breaker for a new target */
  breaker(key: string, upstream: Upstream, model: string): Breaker;
  random(): number;
}

export function buildRouteTable(config: GatewayConfig, deps: RouteTableDeps): Map<string, Route> {
  const targets = new Map<string, Target>();
  const targetOf = (t: TargetConfig): Target => {
    const upstream = deps.upstreams.get(t.upstream);
    // the config schema has already checked every target names a declared upstream with a price
    if (!upstream) throw new Error(`unknown upstream ${t.upstream}`);
    const key = `${upstream.id}:${t.model}`;
    const shared = targets.get(key);
    const price = priceFor(config.prices, upstream.provider, t.model);
    if (!price) throw new Error(`no price for ${key}`);
    const target: Target = {
      key,
      upstream,
      model: t.model,
      priority: t.priority,
      weight: t.weight ?? 0,
      group: t.group,
      price: { input: price.input, cachedInput: price.cachedInput ?? price.input, output: price.output },
      contextWindow: modelInfo(config.models, upstream.provider, t.model)?.contextWindow,
      stats: shared?.stats ?? { inFlight: 0, inFlightTokens: 0, ttftEmaMs: undefined, observed: 0 },
      breaker: shared?.breaker ?? deps.breaker(key, upstream, t.model),
    };
    if (!shared) targets.set(key, target);
    return target;
  };
  const table = new Map<string, Route>();
  for (const r of config.routes) {
    const routeTargets = r.targets.map(targetOf);
    table.set(r.model, {
      model: r.model,
      strategy: createStrategy(r.strategy, routeTargets, { random: deps.random }),
      targets: routeTargets,
      contextFallback: r.contextFallback.map(targetOf),
      timeouts: { ...config.timeouts, ...r.timeouts },
      ...(r.strategy.type === 'cascade'
        ? { confidence: { minMeanLogprob: r.strategy.minMeanLogprob, confidenceTokens: r.strategy.confidenceTokens } }
        : {}),
    });
  }
  return table;
}
