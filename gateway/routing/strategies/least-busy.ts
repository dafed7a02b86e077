/**
 * `least-busy`: fewest requests in flight first (`by: requests`, the default), or fewest tokens
 * in flight (`by: tokens`: prompt + expected output of the requests not yet settled), which
 * suits self-hosted models whose cost is the tokens being processed. Ties by priority.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { byKey } from '../order.js';

export const LeastBusyOptionsSchema = z.strictObject({
  type: z.literal('least-busy'),
  by: z.enum(['requests', 'tokens']).default('requests'),
});

export const leastBusyUnit = {
  name: 'least-busy',
  options: LeastBusyOptionsSchema,
  create: (options) => ({
    name: 'least-busy',
    order: (_input, candidates) =>
      byKey(candidates, options.by === 'tokens' ? (t) => t.stats.inFlightTokens : (t) => t.stats.inFlight),
  }),
} satisfies StrategyUnit<typeof LeastBusyOptionsSchema>;
