/** What a request is expected to cost on a target, for least-cost and cascade ordering. */
import type { Target, TargetPrice } from '../domain/types.js';
import type { RoutingInput } from '../domain/strategy.js';

/** Output tokens assumed when the request does not set `max_tokens`. */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

/** USD for `promptTokens` in and `outputTokens` out at `price` (USD per 1M tokens). */
export function expectedCostUsd(price: TargetPrice, promptTokens: number, outputTokens: number): number {
  return (promptTokens * price.input + outputTokens * price.output) / 1e6;
}

/** The output tokens a request is priced for: what it asks for, else the strategy's assumption. */
export function expectedOutputTokens(input: RoutingInput, assumed: number): number {
  return input.maxTokens ?? assumed;
}

/**
 * Whether the target's known context window holds the prompt plus the output asked for
 * (providers reject prompt + `max_tokens` over the window). Unknown windows hold everything.
 */
export function fitsWindow(target: Target, input: RoutingInput): boolean {
  return target.contextWindow === undefined || input.promptTokens + (input.maxTokens ?? 0) <= target.contextWindow;
}
