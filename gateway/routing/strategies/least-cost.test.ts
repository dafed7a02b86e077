import { describe, expect, it } from 'vitest';
import { ids, input, make, targets } from '../testing.js';

describe('least-cost strategy', () => {
  // per 1M tokens: cheap-in/dear-out vs. dear-in/cheap-out
  const route = targets(
    { upstream: 'frontier', price: { input: 10, output: 30 } },
    { upstream: 'in-cheap', price: { input: 0.1, output: 8 } },
    { upstream: 'out-cheap', price: { input: 3, output: 1 } },
  );

  it('picks the cheapest for the request’s token counts', () => {
    const s = make('least-cost', route);
    // long prompt, short answer: 10k × 0.1 + 50 × 8 < 10k × 3 + 50 × 1
    const longPrompt = input({ promptTokens: 10_000, maxTokens: 50 });
    expect(ids(s.order(longPrompt, route))).toEqual(['in-cheap', 'out-cheap', 'frontier']);
    // short prompt, long answer: 100 × 3 + 4000 × 1 < 100 × 0.1 + 4000 × 8
    const longAnswer = input({ promptTokens: 100, maxTokens: 4000 });
    expect(ids(s.order(longAnswer, route))).toEqual(['out-cheap', 'in-cheap', 'frontier']);
  });

  it('prices the output at expectedOutputTokens when the request sets no max_tokens', () => {
    const few = make({ type: 'least-cost', expectedOutputTokens: 10 }, route);
    const many = make({ type: 'least-cost', expectedOutputTokens: 5000 }, route);
    expect(ids(few.order(input({ promptTokens: 1000 }), route))[0]).toBe('in-cheap');
    expect(ids(many.order(input({ promptTokens: 1000 }), route))[0]).toBe('out-cheap');
  });

  it('puts targets whose context window cannot hold the request last', () => {
    const windows = targets(
      { upstream: 'small-cheap', price: { input: 0.1, output: 0.4 }, contextWindow: 8000 },
      { upstream: 'big-dear', price: { input: 2, output: 8 }, contextWindow: 128_000 },
    );
    const s = make('least-cost', windows);
    expect(ids(s.order(input({ promptTokens: 1000 }), windows))).toEqual(['small-cheap', 'big-dear']);
    expect(ids(s.order(input({ promptTokens: 20_000 }), windows))).toEqual(['big-dear', 'small-cheap']);
  });

  it('breaks price ties by priority', () => {
    const tie = targets({ upstream: 'a', priority: 2 }, { upstream: 'b', priority: 1 });
    expect(ids(make('least-cost', tie).order(input(), tie))).toEqual(['b', 'a']);
  });
});
