/**
 * `weighted`: the first target is a weighted random pick (`weight`, the route's weights sum to
 * 100, e.g. 70/30 between a primary and a secondary); the others follow by weight, heaviest
 * first, as fallbacks. When the breaker has removed a target, the pick is among those left,
 * in proportion to their weights.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import type { Target } from '../../domain/types.js';
import { byPriority } from '../order.js';

export const WeightedOptionsSchema = z.strictObject({ type: z.literal('weighted') });

type Issue = { path: (string | number)[]; message: string };

export const weightedUnit = {
  name: 'weighted',
  options: WeightedOptionsSchema,
  check(_options, targets) {
    const issues: Issue[] = [];
    targets.forEach((t, i) => {
      if (t.weight === undefined) {
        issues.push({ path: ['targets', i, 'weight'], message: 'the weighted strategy needs a weight on each target' });
      } else if (!(t.weight >= 0)) {
        issues.push({ path: ['targets', i, 'weight'], message: `a weight is 0 or more, got ${t.weight}` });
      }
    });
    if (issues.length > 0) return issues;
    const sum = targets.reduce((s, t) => s + (t.weight ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-9) {
      const parts = targets.map((t) => `${t.upstream} ${t.weight}`).join(', ');
      issues.push({ path: ['targets'], message: `the weights must sum to 100, got ${sum} (${parts})` });
    }
    return issues;
  },
  create: (_options, _targets, deps) => ({
    name: 'weighted',
    order(_input, candidates) {
      const rest = [...byPriority(candidates)].sort((a, b) => b.weight - a.weight);
      const total = rest.reduce((s, t) => s + Math.max(0, t.weight), 0);
      if (rest.length < 2 || total <= 0) return rest;
      const first = pick(candidates, total, deps.random());
      return [first, ...rest.filter((t) => t !== first)];
    },
  }),
} satisfies StrategyUnit<typeof WeightedOptionsSchema>;

/** The candidate whose cumulative weight band holds `u × total`. */
function pick(candidates: readonly Target[], total: number, u: number): Target {
  let r = u * total;
  let last: Target | undefined;
  for (const t of candidates) {
    if (t.weight <= 0) continue;
    last = t;
    if (r < t.weight) return t;
    r -= t.weight;
  }
  // only reached through rounding at u close to 1: the last weighted candidate
  return last as Target;
}
