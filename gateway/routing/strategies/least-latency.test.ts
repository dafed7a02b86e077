import { describe, expect, it } from 'vitest';
import type { Target } from '../../domain/types.js';
import { ids, input, make, seeded, targets } from '../testing.js';

/** How often each target is tried first over n requests. */
function firstPicks(
  order: (c: readonly Target[]) => Target[],
  route: readonly Target[],
  n = 1000,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const id = order(route)[0]!.upstream.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('least-latency strategy', () => {
  it('sends traffic to the faster target, and moves it when the averages change', () => {
    const route = targets(
      { upstream: 'a', stats: { ttftEmaMs: 300, observed: 5 } },
      { upstream: 'b', stats: { ttftEmaMs: 120, observed: 5 } },
    );
    const s = make('least-latency', route);
    expect(firstPicks((c) => s.order(input(), c), route)).toEqual({ b: 1000 });
    route[0]!.stats.ttftEmaMs = 80; // a got faster (settle fed its EMA)
    expect(firstPicks((c) => s.order(input(), c), route)).toEqual({ a: 1000 });
    expect(ids(s.order(input(), route))).toEqual(['a', 'b']);
  });

  it('with power of two choices the slowest of many is never first and the fastest is first most often', () => {
    const ms = [100, 150, 200, 400, 800];
    const route = targets(...ms.map((ttftEmaMs, i) => ({ upstream: `t${i}`, stats: { ttftEmaMs, observed: 9 } })));
    const s = make('least-latency', route, seeded(11));
    const picks = firstPicks((c) => s.order(input(), c), route, 10_000);
    expect(picks.t4).toBeUndefined();
    // the fastest wins every pair it is in: 4 of the 10 pairs
    expect(picks.t0! / 10_000).toBeGreaterThan(0.37);
    expect(picks.t0! / 10_000).toBeLessThan(0.43);
    expect(picks.t1!).toBeGreaterThan(picks.t2!);
    // after the first, the rest by average
    const order = ids(s.order(input(), route));
    expect(order.slice(1)).toEqual(['t0', 't1', 't2', 't3', 't4'].filter((t) => t !== order[0]));
  });

  it('explores unobserved targets first by default, fewest in flight first', () => {
    const route = targets(
      { upstream: 'fast', stats: { ttftEmaMs: 50, observed: 3 } },
      { upstream: 'new1', stats: { inFlight: 2 } },
      { upstream: 'new2', stats: { inFlight: 1 } },
    );
    expect(ids(make('least-latency', route).order(input(), route))).toEqual(['new2', 'new1', 'fast']);
  });

  it('puts unobserved targets last with unobserved: last', () => {
    const route = targets(
      { upstream: 'new' },
      { upstream: 'slow', stats: { ttftEmaMs: 900 } },
      { upstream: 'fast', stats: { ttftEmaMs: 90 } },
    );
    const s = make({ type: 'least-latency', unobserved: 'last' }, route);
    expect(ids(s.order(input(), route))).toEqual(['fast', 'slow', 'new']);
  });
});
