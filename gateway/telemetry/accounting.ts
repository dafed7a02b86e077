import type { Target } from '../domain/types.js';
import { costUsd, readUsage } from '../prices.js';
import type { GatewayMetrics } from './metrics.js';

/** Prices an upstream `usage` object (OpenAI shape) for the target that served it; counts tokens and cost. */
export type Accountant = (usage: unknown, target: Target) => number | undefined;

export function createAccountant(metrics: GatewayMetrics): Accountant {
  return (usage, target) => {
    const u = readUsage(usage);
    if (!u) return undefined;
    const labels = { upstream: target.upstream.id, model: target.model };
    metrics.tokens.inc({ ...labels, kind: 'input' }, u.promptTokens);
    if (u.cachedTokens > 0) metrics.tokens.inc({ ...labels, kind: 'cached_input' }, u.cachedTokens);
    metrics.tokens.inc({ ...labels, kind: 'output' }, u.completionTokens);
    const cost = costUsd(target.price, u);
    metrics.costUsd.inc(labels, cost);
    return cost;
  };
}
