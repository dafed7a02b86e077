import { describe, expect, it } from 'vitest';
import { bracket, nextRate, type SearchOptions, type Tried } from './search.js';

const opts: SearchOptions = { startRate: 2, maxRate: 200, minRate: 0.25, factor: 2, tolerance: 0.05 };

/** Drive the planner against a system whose true knee is `knee`. */
function search(knee: number, o = opts): { tried: Tried[]; stop: string } {
  const tried: Tried[] = [];
  for (let i = 0; i < 50; i++) {
    const n = nextRate(tried, o);
    if ('done' in n) return { tried, stop: n.done };
    tried.push({ rate: n.rate, ok: n.rate <= knee });
  }
  throw new Error('the search did not end');
}

describe('knee search planner', () => {
  it('doubles, then bisects to within the tolerance below the knee', () => {
    const { tried, stop } = search(4.55);
    expect(stop).toBe('converged');
    expect(tried.slice(0, 3).map((t) => t.rate)).toEqual([2, 4, 8]);
    const { pass, fail } = bracket(tried);
    expect(pass).toBeLessThanOrEqual(4.55);
    expect(pass).toBeGreaterThan(4.55 * 0.95);
    expect(fail).toBeGreaterThan(4.55);
    expect(tried.length).toBeLessThanOrEqual(9);
  });

  it('halves when the first step already fails, and gives up below the minimum rate', () => {
    const low = search(0.7);
    expect(low.tried.slice(0, 3).map((t) => t.rate)).toEqual([2, 1, 0.5]);
    expect(bracket(low.tried).pass).toBeGreaterThan(0.7 * 0.95);
    const none = search(0.1);
    expect(none.stop).toBe('below-min-rate');
    expect(bracket(none.tried).pass).toBeNull();
  });

  it('stops at the maximum rate when nothing fails', () => {
    const r = search(1000);
    expect(r.stop).toBe('max-rate');
    expect(r.tried.at(-1)?.rate).toBe(200);
  });

  it('ignores a noisy pass above a failure', () => {
    expect(bracket([{ rate: 4, ok: true }, { rate: 8, ok: false }, { rate: 10, ok: true }])).toEqual({ pass: 4, fail: 8 });
  });
});
