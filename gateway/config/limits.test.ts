import { describe, expect, it } from 'vitest';
import { LimitSchema, parseRate } from './limits.js';

describe('rates', () => {
  it('reads a count per unit or per duration', () => {
    expect(parseRate('20/min')).toEqual({ count: 20, windowMs: 60_000, text: '20/min' });
    expect(parseRate('100/s')?.windowMs).toBe(1000);
    expect(parseRate('40000 / hour')).toEqual({ count: 40000, windowMs: 3_600_000, text: '40000/hour' });
    expect(parseRate('5/10s')?.windowMs).toBe(10_000);
    expect(parseRate('1000/day')?.windowMs).toBe(86_400_000);
    expect(parseRate('3/minutes')?.windowMs).toBe(60_000);
  });

  it('refuses a rate without a unit, a zero, or an unknown unit', () => {
    for (const bad of ['20', '20/', '/min', '0/min', '20/fortnight', '20/0s', 'x/min']) {
      expect(parseRate(bad), bad).toBeUndefined();
    }
  });

  it('makes a bucket: refill from the rate, capacity the rate\'s count unless burst says otherwise', () => {
    const l = LimitSchema.parse({ id: 'a', requests: '20/min' });
    expect(l).toMatchObject({ kind: 'requests', per: ['key'], capacity: 20, onLimit: 'reject' });
    expect(l.refillPerSecond).toBeCloseTo(1 / 3, 10);
    const t = LimitSchema.parse({ id: 'b', tokens: '1000/s', burst: 5000 });
    expect(t).toMatchObject({ kind: 'tokens', capacity: 5000, refillPerSecond: 1000 });
  });
});
