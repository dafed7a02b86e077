/**
 * `tier`: the key's tier (from its config, never from the request) picks a target group
 * through `tiers`, e.g. free → cheap, premium → frontier; unmapped tiers use `default`. See
 * groups.ts for the order and `strict`.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { checkGroups, groupFallbackFields, groupName, orderByMapping } from '../groups.js';

export const TierOptionsSchema = z.strictObject({
  type: z.literal('tier'),
  /** tier → group */
  tiers: z.record(z.string().min(1), groupName).default({}),
  ...groupFallbackFields,
});

export const tierUnit = {
  name: 'tier',
  options: TierOptionsSchema,
  check: (options, targets) => checkGroups('tiers', options.tiers, options.default, targets),
  create: (options) => ({
    name: 'tier',
    order: (input, candidates) => orderByMapping(candidates, options.tiers, input.principal.tier, options),
  }),
} satisfies StrategyUnit<typeof TierOptionsSchema>;
