/**
 * `least-cost`: cheapest expected cost first — prompt tokens × the target's input price plus
 * expected output tokens (the request's `max_tokens`, else `expectedOutputTokens`) × its output
 * price. Targets whose known context window cannot hold the prompt plus `max_tokens` go last,
 * since they would only answer `context_length_exceeded`. Ties by priority.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { DEFAULT_EXPECTED_OUTPUT_TOKENS, expectedCostUsd, expectedOutputTokens, fitsWindow } from '../cost.js';
import { byKey } from '../order.js';

export const LeastCostOptionsSchema = z.strictObject({
  type: z.literal('least-cost'),
  /** output tokens assumed when the request does not set `max_tokens` */
  expectedOutputTokens: z.int().positive().default(DEFAULT_EXPECTED_OUTPUT_TOKENS),
});

export const leastCostUnit = {
  name: 'least-cost',
  options: LeastCostOptionsSchema,
  create: (options) => ({
    name: 'least-cost',
    order(input, candidates) {
      const out = expectedOutputTokens(input, options.expectedOutputTokens);
      const ranked = byKey(candidates, (t) => expectedCostUsd(t.price, input.promptTokens, out));
      return [...ranked.filter((t) => fitsWindow(t, input)), ...ranked.filter((t) => !fitsWindow(t, input))];
    },
  }),
} satisfies StrategyUnit<typeof LeastCostOptionsSchema>;
