/**
 * `complexity`: the prompt's level from the heuristic classifier (../complexity.ts: `simple`
 * or `complex`) picks a target group through `levels`, e.g. simple → cheap, complex → frontier;
 * a level not mapped uses `default`. See groups.ts for the order and `strict`.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { COMPLEXITY_THRESHOLD, classifyComplexity, promptText } from '../complexity.js';
import { checkGroups, groupFallbackFields, groupName, orderByMapping } from '../groups.js';

export const ComplexityOptionsSchema = z.strictObject({
  type: z.literal('complexity'),
  /** level → group */
  levels: z.strictObject({ simple: groupName.optional(), complex: groupName.optional() }).default({}),
  /** classifier score at and above which a prompt is complex */
  threshold: z.number().default(COMPLEXITY_THRESHOLD),
  ...groupFallbackFields,
});

export const complexityUnit = {
  name: 'complexity',
  options: ComplexityOptionsSchema,
  check: (options, targets) => checkGroups('levels', options.levels, options.default, targets),
  create: (options) => ({
    name: 'complexity',
    order(input, candidates) {
      const { level } = classifyComplexity(promptText(input.request), options.threshold);
      return orderByMapping(candidates, options.levels, level, options);
    },
  }),
} satisfies StrategyUnit<typeof ComplexityOptionsSchema>;
