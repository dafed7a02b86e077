/** `priority`: lowest `priority` first, ties in config order; every request gets the same order. */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { byPriority } from '../order.js';

export const PriorityOptionsSchema = z.strictObject({ type: z.literal('priority') });

export const priorityUnit = {
  name: 'priority',
  options: PriorityOptionsSchema,
  create: () => ({ name: 'priority', order: (_input, candidates) => byPriority(candidates) }),
} satisfies StrategyUnit<typeof PriorityOptionsSchema>;
