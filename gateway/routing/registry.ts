/**
 * Every routing strategy a route may name, and the route config's `strategy` field: a bare
 * name (`strategy: weighted`, that strategy with default options) or an options object
 * discriminated on `type` (`strategy: {type: least-cost, expectedOutputTokens: 512}`).
 */
import { z } from 'zod';
import type { Strategy, StrategyDeps, StrategyUnit, TargetConfigView } from '../domain/strategy.js';
import type { Target } from '../domain/types.js';
import { CascadeOptionsSchema, cascadeUnit } from './strategies/cascade.js';
import { ComplexityOptionsSchema, complexityUnit } from './strategies/complexity.js';
import { LeastBusyOptionsSchema, leastBusyUnit } from './strategies/least-busy.js';
import { LeastCostOptionsSchema, leastCostUnit } from './strategies/least-cost.js';
import { LeastLatencyOptionsSchema, leastLatencyUnit } from './strategies/least-latency.js';
import { NearestRegionOptionsSchema, nearestRegionUnit } from './strategies/nearest-region.js';
import { PriorityOptionsSchema, priorityUnit } from './strategies/priority.js';
import { TaskOptionsSchema, taskUnit } from './strategies/task.js';
import { TierOptionsSchema, tierUnit } from './strategies/tier.js';
import { WeightedOptionsSchema, weightedUnit } from './strategies/weighted.js';

export const STRATEGY_UNITS = {
  priority: priorityUnit,
  weighted: weightedUnit,
  'least-latency': leastLatencyUnit,
  'least-cost': leastCostUnit,
  'nearest-region': nearestRegionUnit,
  'least-busy': leastBusyUnit,
  task: taskUnit,
  tier: tierUnit,
  complexity: complexityUnit,
  cascade: cascadeUnit,
} as const;

export type StrategyName = keyof typeof STRATEGY_UNITS;
export const STRATEGY_NAMES = Object.keys(STRATEGY_UNITS) as [StrategyName, ...StrategyName[]];

const OptionsSchema = z.discriminatedUnion(
  'type',
  [
    PriorityOptionsSchema,
    WeightedOptionsSchema,
    LeastLatencyOptionsSchema,
    LeastCostOptionsSchema,
    NearestRegionOptionsSchema,
    LeastBusyOptionsSchema,
    TaskOptionsSchema,
    TierOptionsSchema,
    ComplexityOptionsSchema,
    CascadeOptionsSchema,
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union' && iss.note === 'No matching discriminator'
        ? `expected one of ${STRATEGY_NAMES.join(', ')}`
        : undefined,
  },
);

/**
 * A route's `strategy`: a strategy name, or `{type: name, …options}`. For a route default use
 * `.prefault('priority')` (parsed like a written value), not `.default`, which would skip parsing.
 */
export const StrategyConfigSchema = z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), OptionsSchema);
export type StrategyConfig = z.output<typeof StrategyConfigSchema>;
export type StrategyConfigInput = z.input<typeof OptionsSchema> | StrategyName;

export interface StrategyIssue {
  /** inside the route: `['targets']`, `['strategy', 'tiers', 'free']`, … */
  readonly path: (string | number)[];
  readonly message: string;
}

function unitOf(config: StrategyConfig): StrategyUnit<z.ZodType<StrategyConfig>> {
  return STRATEGY_UNITS[config.type] as unknown as StrategyUnit<z.ZodType<StrategyConfig>>;
}

/** The checks that need the route's targets (weights sum to 100, mapped groups exist); empty when fine. */
export function checkStrategy(config: StrategyConfig, targets: readonly TargetConfigView[]): StrategyIssue[] {
  return unitOf(config).check?.(config, targets) ?? [];
}

/** The route's strategy, made once per route from its checked config and live targets. */
export function createStrategy(config: StrategyConfig, targets: readonly Target[], deps: StrategyDeps): Strategy {
  return unitOf(config).create(config, targets, deps);
}
