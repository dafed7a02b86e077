import { describe, expect, it } from 'vitest';
import { CoolDowns } from './cooldown.js';

describe('cool-downs after Retry-After', () => {
  it('skips a target until the wait is over, then lets it back', () => {
    const c = new CoolDowns(300_000);
    c.coolDown('a', 5_000, 1_000);
    expect(c.isCooling('a', 1_000)).toBe(true);
    expect(c.remainingMs('a', 3_000)).toBe(3_000);
    expect(c.isCooling('a', 6_000)).toBe(false);
    expect(c.isCooling('b', 1_000)).toBe(false);
  });

  it('a later, shorter Retry-After never shortens a cool-down; a longer one extends it', () => {
    const c = new CoolDowns(300_000);
    c.coolDown('a', 60_000, 0);
    c.coolDown('a', 1_000, 100);
    expect(c.isCooling('a', 30_000)).toBe(true);
    c.coolDown('a', 90_000, 1_000);
    expect(c.remainingMs('a', 61_000)).toBe(30_000);
  });

  it('caps an absurd wait', () => {
    const c = new CoolDowns(120_000);
    c.coolDown('a', 86_400_000, 0);
    expect(c.remainingMs('a', 0)).toBe(120_000);
    c.coolDown('b', 0, 0);
    expect(c.isCooling('b', 0)).toBe(false);
  });

  it('says how long until the first target returns when all are cooling', () => {
    const c = new CoolDowns(300_000);
    c.coolDown('a', 7_000, 0);
    c.coolDown('b', 3_000, 0);
    expect(c.soonestMs(['a', 'b'], 1_000)).toBe(2_000);
    expect(c.soonestMs(['a', 'b', 'c'], 1_000)).toBeUndefined(); // c is usable
    expect(c.soonestMs(['a', 'b'], 3_000)).toBeUndefined(); // b is back
  });
});
