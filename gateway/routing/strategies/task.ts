/**
 * `task`: the request's feature (`metadata.feature` / `x-gateway-feature`, bounded by the key)
 * picks a target group through `features`; unmapped features use `default`. See groups.ts for
 * the order and `strict`.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { checkGroups, groupFallbackFields, groupName, orderByMapping } from '../groups.js';

export const TaskOptionsSchema = z.strictObject({
  type: z.literal('task'),
  /** feature → group */
  features: z.record(z.string().min(1), groupName).default({}),
  ...groupFallbackFields,
});

export const taskUnit = {
  name: 'task',
  options: TaskOptionsSchema,
  check: (options, targets) => checkGroups('features', options.features, options.default, targets),
  create: (options) => ({
    name: 'task',
    order: (input, candidates) => orderByMapping(candidates, options.features, input.feature, options),
  }),
} satisfies StrategyUnit<typeof TaskOptionsSchema>;
