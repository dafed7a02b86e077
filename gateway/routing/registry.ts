import { priorityStrategy } from './priority.js';
import type { StrategyFactory } from './types.js';

/** Every routing strategy a route may name (`routes[].strategy`). */
export const STRATEGIES = {
  priority: priorityStrategy,
} as const satisfies Record<string, StrategyFactory>;

export type StrategyName = keyof typeof STRATEGIES;
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as [StrategyName, ...StrategyName[]];

export function getStrategy(name: StrategyName): StrategyFactory {
  return STRATEGIES[name];
}
