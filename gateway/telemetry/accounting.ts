import type { Target } from '../domain/types.js';
import { costUsd, readUsage } from '../prices.js';
import type { CounterSeries } from './registry.js';
import type { GatewayMetrics } from './metrics.js';

/** Prices an upstream `usage` object (OpenAI shape) for the target that served it; counts tokens and cost. */
export type Accountant = (usage: unknown, target: Target) => number | undefined;

/**
 * A target's token and cost series, found once per target rather than by label lookups (and a
 * label object spread three times) per request; each is made on first use, so the exposition
 * keeps its order and a target without cached tokens shows no `cached_input` series.
 */
interface TargetSeries {
  input?: CounterSeries;
  cached?: CounterSeries;
  output?: CounterSeries;
  cost?: CounterSeries;
}

export function createAccountant(metrics: GatewayMetrics): Accountant {
  const byTarget = new WeakMap<Target, TargetSeries>();
  const { tokens, costUsd: cost$ } = metrics;
  return (usage, target) => {
    const u = readUsage(usage);
    if (!u) return undefined;
    let s = byTarget.get(target);
    if (!s) byTarget.set(target, (s = {}));
    const upstream = target.upstream.id;
    const model = target.model;
    (s.input ??= tokens.series({ upstream, model, kind: 'input' })).inc(u.promptTokens);
    if (u.cachedTokens > 0) (s.cached ??= tokens.series({ upstream, model, kind: 'cached_input' })).inc(u.cachedTokens);
    (s.output ??= tokens.series({ upstream, model, kind: 'output' })).inc(u.completionTokens);
    const cost = costUsd(target.price, u);
    (s.cost ??= cost$.series({ upstream, model })).inc(cost);
    return cost;
  };
}
