import { describe, expect, it } from 'vitest';
import { costUsd, priceFor, readUsage } from './prices.js';

describe('prices', () => {
  const prices = { 'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 }, 'azure/gpt-4.1-mini': { input: 0.5, output: 2 } };

  it('prefers the provider/model key over the model key', () => {
    expect(priceFor(prices, 'azure', 'gpt-4.1-mini')?.input).toBe(0.5);
    expect(priceFor(prices, 'openai', 'gpt-4.1-mini')?.input).toBe(0.4);
    expect(priceFor(prices, 'openai', 'gpt-5')).toBeUndefined();
  });

  it('costs prompt and completion tokens per million, cached prompt tokens at cachedInput', () => {
    const price = prices['gpt-4.1-mini'];
    expect(costUsd(price, { promptTokens: 1000, cachedTokens: 0, completionTokens: 500 })).toBe(0.0012);
    expect(costUsd(price, { promptTokens: 1000, cachedTokens: 400, completionTokens: 500 })).toBe(0.00108);
    // no cachedInput price: cached tokens cost the input price
    expect(costUsd(prices['azure/gpt-4.1-mini'], { promptTokens: 10, cachedTokens: 10, completionTokens: 0 })).toBe(0.000005);
  });

  it('reads an OpenAI usage object defensively', () => {
    expect(readUsage({ prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 5 } })).toEqual({
      promptTokens: 12,
      cachedTokens: 5,
      completionTokens: 3,
    });
    expect(readUsage({ prompt_tokens: 'x' })).toEqual({ promptTokens: 0, cachedTokens: 0, completionTokens: 0 });
    expect(readUsage(null)).toBeUndefined();
  });
});
