import { describe, expect, it } from 'vitest';
import { ids, input, make, targets } from '../testing.js';

describe('least-busy strategy', () => {
  const route = targets(
    { upstream: 'a', stats: { inFlight: 4, inFlightTokens: 1000 } },
    { upstream: 'b', stats: { inFlight: 1, inFlightTokens: 9000 } },
    { upstream: 'c', stats: { inFlight: 2, inFlightTokens: 500 } },
  );

  it('orders fewest requests in flight first', () => {
    expect(ids(make('least-busy', route).order(input(), route))).toEqual(['b', 'c', 'a']);
  });

  it('orders fewest tokens in flight first with by: tokens', () => {
    expect(ids(make({ type: 'least-busy', by: 'tokens' }, route).order(input(), route))).toEqual(['c', 'a', 'b']);
  });

  it('follows the load as it changes, ties by priority', () => {
    const s = make('least-busy', route);
    route[1]!.stats.inFlight = 6;
    route[2]!.stats.inFlight = 4;
    expect(ids(s.order(input(), route))).toEqual(['a', 'c', 'b']);
  });
});
