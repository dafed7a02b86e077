import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STRATEGY_NAMES, STRATEGY_UNITS, StrategyConfigSchema } from './registry.js';
import { input, make, targets } from './testing.js';

/** The issues of parsing `strategy` inside a route, as a user reads them. */
function issues(strategy: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const r = z.strictObject({ strategy: StrategyConfigSchema }).safeParse({ strategy });
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('strategy registry', () => {
  it('lists the ten strategies, each unit under its own name', () => {
    expect(STRATEGY_NAMES).toEqual([
      'priority',
      'weighted',
      'least-latency',
      'least-cost',
      'nearest-region',
      'least-busy',
      'task',
      'tier',
      'complexity',
      'cascade',
    ]);
    for (const name of STRATEGY_NAMES) expect(STRATEGY_UNITS[name].name).toBe(name);
  });

  it('accepts a bare name as that strategy with its defaults', () => {
    expect(StrategyConfigSchema.parse('least-cost')).toEqual({ type: 'least-cost', expectedOutputTokens: 256 });
    expect(StrategyConfigSchema.parse('least-busy')).toEqual({ type: 'least-busy', by: 'requests' });
    const tokens = { type: 'least-busy', by: 'tokens' };
    expect(StrategyConfigSchema.parse(tokens)).toEqual(tokens);
  });

  it('every strategy parses from its bare name and orders a route', () => {
    const route = targets({ upstream: 'a', weight: 50, group: 'g' }, { upstream: 'b', weight: 50, group: 'g' });
    for (const name of STRATEGY_NAMES) {
      const s = make(name, route);
      expect(s.name).toBe(name);
      expect(s.order(input(), route).map((t) => t.upstream.id).sort()).toEqual(['a', 'b']);
    }
  });

  it('gives a route without a strategy priority through prefault', () => {
    const route = z.strictObject({ strategy: StrategyConfigSchema.prefault('priority') });
    expect(route.parse({})).toEqual({ strategy: { type: 'priority' } });
  });

  it('reports an unknown strategy with the names it could be', () => {
    const names = 'priority, weighted, least-latency, least-cost, nearest-region, least-busy, '
      + 'task, tier, complexity, cascade';
    const expected = `expected one of ${names}`;
    expect(issues('fastest')).toEqual([{ path: ['strategy', 'type'], message: expected }]);
    expect(issues({ type: 'round-robin' })).toEqual([{ path: ['strategy', 'type'], message: expected }]);
  });

  it('reports an unknown option at its path, and a bad value with what was expected', () => {
    expect(issues({ type: 'weighted', weights: [70, 30] })).toEqual([
      { path: ['strategy'], message: expect.stringMatching(/Unrecognized key.*weights/) },
    ]);
    expect(issues({ type: 'least-busy', by: 'cpu' })).toEqual([
      { path: ['strategy', 'by'], message: expect.stringMatching(/"requests"\|"tokens"/) },
    ]);
    expect(issues({ type: 'cascade', confidenceTokens: 0 })).toEqual([
      { path: ['strategy', 'confidenceTokens'], message: expect.stringMatching(/>0/) },
    ]);
    expect(issues({ type: 'tier', tiers: { free: '' } })).toEqual([
      { path: ['strategy', 'tiers', 'free'], message: expect.stringMatching(/>=1 characters/) },
    ]);
  });
});
