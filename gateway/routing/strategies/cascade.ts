/**
 * `cascade`: cheapest first (expected cost of the request at each target's price), each dearer
 * tier after. The pipeline escalates to the next target on an error, or when the answer's
 * confidence is low: the mean log-probability of its first `confidenceTokens` tokens below
 * `minMeanLogprob` (when the upstream returns `logprobs`). `isConfident` is that test.
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import { DEFAULT_EXPECTED_OUTPUT_TOKENS, expectedCostUsd, expectedOutputTokens } from '../cost.js';
import { byKey } from '../order.js';

export const CascadeOptionsSchema = z.strictObject({
  type: z.literal('cascade'),
  /** an answer whose first tokens' mean log-probability is below this escalates */
  minMeanLogprob: z.number().max(0).default(-1),
  /** how many leading tokens of the answer the confidence is judged on */
  confidenceTokens: z.int().positive().default(16),
  /** output tokens assumed when the request does not set `max_tokens`, for the cost order */
  expectedOutputTokens: z.int().positive().default(DEFAULT_EXPECTED_OUTPUT_TOKENS),
});
export type CascadeOptions = z.output<typeof CascadeOptionsSchema>;

/**
 * Whether an answer is confident enough to keep: the mean of the first `confidenceTokens`
 * token log-probabilities is at least `minMeanLogprob`. No log-probabilities (the upstream
 * returned none) is no evidence of doubt: confident. Non-numbers are ignored.
 */
export function isConfident(
  logprobs: readonly number[],
  options: Pick<CascadeOptions, 'minMeanLogprob' | 'confidenceTokens'>,
): boolean {
  let sum = 0;
  let n = 0;
  for (const lp of logprobs) {
    if (n >= options.confidenceTokens) break;
    if (Number.isNaN(lp)) continue;
    sum += lp;
    n++;
  }
  return n === 0 || sum / n >= options.minMeanLogprob;
}

export const cascadeUnit = {
  name: 'cascade',
  options: CascadeOptionsSchema,
  create: (options) => ({
    name: 'cascade',
    order(input, candidates) {
      const out = expectedOutputTokens(input, options.expectedOutputTokens);
      return byKey(candidates, (t) => expectedCostUsd(t.price, input.promptTokens, out));
    },
  }),
} satisfies StrategyUnit<typeof CascadeOptionsSchema>;
