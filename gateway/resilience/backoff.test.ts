import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.js';
import { BackoffSchema, backoffCeilingMs, backoffMs } from './backoff.js';

const opts = BackoffSchema.parse({});

describe('backoff with full jitter', () => {
  it('doubles the ceiling per retry up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 60].map((n) => backoffCeilingMs(n, opts));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('stays within [0, ceiling) for every retry number', () => {
    const random = mulberry32(7);
    for (let n = 0; n < 12; n++) {
      for (let i = 0; i < 200; i++) {
        const d = backoffMs(n, opts, random);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(backoffCeilingMs(n, opts));
      }
    }
    expect(backoffMs(3, opts, () => 0)).toBe(0);
    expect(backoffMs(3, opts, () => 0.999999)).toBe(799);
  });

  it('spreads clients that failed together over the whole interval', () => {
    const random = mulberry32(42);
    const delays = Array.from({ length: 1000 }, () => backoffMs(5, opts, random)); // ceiling 2000
    const tenths = new Set(delays.map((d) => Math.floor(d / 200)));
    expect(tenths.size).toBe(10); // every tenth of [0, 2000) is used
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(850);
    expect(mean).toBeLessThan(1150);
    expect(new Set(delays).size).toBeGreaterThan(500); // not a handful of synchronised values
  });

  it('never returns a wait outside the bounds from a broken random source', () => {
    expect(backoffMs(2, opts, () => 1)).toBe(0);
    expect(backoffMs(2, opts, () => -0.5)).toBe(0);
    expect(backoffMs(2, opts, () => Number.NaN)).toBe(0);
  });

  it('rejects a cap below the base and non-positive values, naming the field', () => {
    const bad = BackoffSchema.safeParse({ baseMs: 500, capMs: 100 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['capMs']);
    expect(BackoffSchema.safeParse({ baseMs: 0 }).error?.issues[0]?.path).toEqual(['baseMs']);
    expect(BackoffSchema.safeParse({ jitter: true }).success).toBe(false);
    expect(() => backoffCeilingMs(-1, opts)).toThrow(/integer >= 0/);
  });
});
