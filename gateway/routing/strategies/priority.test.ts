import { describe, expect, it } from 'vitest';
import { ids, input, make, targets } from '../testing.js';

describe('priority strategy', () => {
  it('orders lowest priority first, ties in config order, the same for every request', () => {
    const route = targets(
      { upstream: 'a', priority: 2 },
      { upstream: 'b', priority: 1 },
      { upstream: 'c', priority: 2 },
      { upstream: 'd', priority: 0 },
    );
    const s = make('priority', route);
    expect(ids(s.order(input(), route))).toEqual(['d', 'b', 'a', 'c']);
    expect(ids(s.order(input({ prompt: 'other' }), route))).toEqual(['d', 'b', 'a', 'c']);
  });

  it('orders only the candidates it is given', () => {
    const route = targets({ upstream: 'a' }, { upstream: 'b' }, { upstream: 'c' });
    expect(ids(make('priority', route).order(input(), [route[2]!, route[0]!]))).toEqual(['a', 'c']);
  });
});
