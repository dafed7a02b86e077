import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import { costUsd, priceFor, readUsage, type Prices } from './prices.js';
import type { RouteTarget } from './routing/types.js';

/** Prices an upstream `usage` object and counts its tokens and cost; returns the cost in USD. */
export type Accountant = (usage: unknown, target: RouteTarget) => number | undefined;

export function createAccountant(prices: Prices, metrics: GatewayMetrics): Accountant {
  return (usage, target) => {
    const u = readUsage(usage);
    if (!u) return undefined;
    const labels = { upstream: target.upstream.id, model: target.model };
    metrics.tokens.inc({ ...labels, kind: 'input' }, u.promptTokens);
    if (u.cachedTokens > 0) metrics.tokens.inc({ ...labels, kind: 'cached_input' }, u.cachedTokens);
    metrics.tokens.inc({ ...labels, kind: 'output' }, u.completionTokens);
    const price = priceFor(prices, target.upstream.provider, target.model);
    if (!price) return undefined; // the config schema requires a price for every target
    const cost = costUsd(price, u);
    metrics.costUsd.inc(labels, cost);
    return cost;
  };
}
