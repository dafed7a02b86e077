/** The price table (USD per 1M tokens) and the one cost formula the gateway reports. */
import { z } from 'zod';

export const PriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  /** price of prompt tokens the provider served from its prompt cache; defaults to `input` */
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
});
export type Price = z.output<typeof PriceSchema>;

/** Keys are `provider/model` or `model`; the provider-specific key wins. */
export const PricesSchema = z.record(z.string().min(1), PriceSchema);
export type Prices = z.output<typeof PricesSchema>;

export function priceFor(prices: Prices, provider: string, model: string): Price | undefined {
  return prices[`${provider}/${model}`] ?? prices[model];
}

/** The token counts of an OpenAI `usage` object, read defensively (missing fields count 0). */
export interface TokenUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

export function readUsage(usage: unknown): TokenUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const u = usage as Record<string, unknown>;
  const details = u.prompt_tokens_details;
  const cached = typeof details === 'object' && details !== null ? (details as Record<string, unknown>).cached_tokens : 0;
  const promptTokens = count(u.prompt_tokens);
  return { promptTokens, cachedTokens: Math.min(count(cached), promptTokens), completionTokens: count(u.completion_tokens) };
}

/**
 * Cost in USD: (prompt × input + completion × output) / 1e6, where prompt tokens the provider
 * reports as cached (`prompt_tokens_details.cached_tokens`) are charged at `cachedInput`.
 * Rounded to 1e-12 USD so sums and headers stay free of float noise.
 */
export function costUsd(price: Price, usage: TokenUsage): number {
  const fresh = usage.promptTokens - usage.cachedTokens;
  const micro = fresh * price.input + usage.cachedTokens * (price.cachedInput ?? price.input) + usage.completionTokens * price.output;
  return Math.round((micro / 1e6) * 1e12) / 1e12;
}
