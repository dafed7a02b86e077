import { describe, expect, it } from 'vitest';
import { StrategyConfigSchema } from '../registry.js';
import { ids, input, make, targets } from '../testing.js';
import { isConfident } from './cascade.js';

describe('cascade strategy', () => {
  it('orders cheapest first, each dearer tier after', () => {
    const route = targets(
      { upstream: 'frontier', price: { input: 5, output: 15 } },
      { upstream: 'small', price: { input: 0.15, output: 0.6 } },
      { upstream: 'mid', price: { input: 1, output: 4 } },
    );
    expect(ids(make('cascade', route).order(input(), route))).toEqual(['small', 'mid', 'frontier']);
    // with the cheap tier down, the next tier leads
    expect(ids(make('cascade', route).order(input(), [route[0]!, route[2]!]))).toEqual(['mid', 'frontier']);
  });

  it('has defaults for the confidence test', () => {
    expect(StrategyConfigSchema.parse('cascade')).toEqual({
      type: 'cascade',
      minMeanLogprob: -1,
      confidenceTokens: 16,
      expectedOutputTokens: 256,
    });
  });

  it('isConfident: mean log-probability of the first confidenceTokens tokens against the threshold', () => {
    const opts = { minMeanLogprob: -1, confidenceTokens: 4 };
    expect(isConfident([-0.1, -0.2, -0.05, -0.3], opts)).toBe(true);
    expect(isConfident([-2.5, -1.8, -0.4, -1.1], opts)).toBe(false);
    // only the first 4 count: a confident start followed by doubt stays confident
    expect(isConfident([-0.1, -0.1, -0.1, -0.1, -9, -9, -9], opts)).toBe(true);
    // fewer tokens than confidenceTokens: judged on what there is
    expect(isConfident([-1.5], opts)).toBe(false);
    // no log-probabilities: no evidence of doubt
    expect(isConfident([], opts)).toBe(true);
    expect(isConfident([-Infinity, 0, 0, 0], opts)).toBe(false);
    expect(isConfident([-1, -1], opts)).toBe(true);
  });
});
