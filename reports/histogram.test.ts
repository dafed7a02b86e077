import { describe, expect, it } from 'vitest';
import { createHistogram, HIGHEST_US, merge, percentileMs, recordMs, statsMs } from './histogram.js';

/** HDR at 3 significant digits: a value is within 0.1% of what was recorded. */
function near(actual: number | null, expected: number, rel = 1e-3): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(expected * rel);
}

describe('histogram', () => {
  it('gives p50 ≈ 5000 and p99 ≈ 9900 for 1..10000 ms, within 3-digit precision', () => {
    const h = createHistogram();
    for (let ms = 1; ms <= 10_000; ms++) recordMs(h, ms);
    const s = statsMs(h);
    expect(s.count).toBe(10_000);
    near(s.p50, 5000);
    near(s.p90, 9000);
    near(s.p95, 9500);
    near(s.p99, 9900);
    near(s.p999, 9990);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10_000); // exact, not the bucket's upper edge
    expect(s.mean).toBe(5000.5); // exact sum, not quantised
  });

  it('is exact for values below 2.048 ms (single-microsecond resolution)', () => {
    const h = createHistogram();
    for (const ms of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]) recordMs(h, ms);
    const s = statsMs(h);
    expect(s).toMatchObject({ count: 10, min: 0.1, max: 1, p50: 0.5, p90: 0.9, p99: 1 });
    expect(s.mean).toBeCloseTo(0.55, 9);
    expect(percentileMs(h, 10)).toBe(0.1);
    expect(percentileMs(h, 0)).toBe(0.1);
  });

  it('rounds to the microsecond, records 0, and clamps out-of-range values (counting them)', () => {
    const h = createHistogram();
    recordMs(h, 0);
    recordMs(h, 0.0004); // rounds to 0 µs
    recordMs(h, 1.2345); // 1235 µs
    recordMs(h, -5);
    recordMs(h, 2 * 3600 * 1000); // two hours
    recordMs(h, Number.NaN); // ignored
    expect(h.count).toBe(5);
    expect(h.clamped).toBe(2);
    const s = statsMs(h);
    expect(s.min).toBe(0);
    expect(s.max).toBe(HIGHEST_US / 1000);
    expect(percentileMs(h, 60)).toBe(0); // 0, 0 and the clamped -5 are the lowest three of five
    expect(percentileMs(h, 80)).toBe(1.235);
  });

  it('has no figures when empty: null, not 0 ms', () => {
    expect(statsMs(createHistogram())).toEqual({ count: 0, min: null, max: null, mean: null, p50: null, p90: null, p95: null, p99: null, p999: null });
  });

  it('merging equals recording everything in one histogram (compact ones too)', () => {
    const all = createHistogram();
    const parts = [createHistogram(), createHistogram({ compact: true }), createHistogram()];
    let x = 7;
    for (let i = 0; i < 5000; i++) {
      x = (x * 48271) % 2147483647;
      const ms = (x % 300_000) / 10; // 0 … 30 s at 0.1 ms steps
      recordMs(all, ms);
      recordMs(parts[i % 3]!, ms);
    }
    const merged = createHistogram();
    for (const p of parts) merge(merged, p);
    expect(statsMs(merged)).toEqual(statsMs(all));
    // and into a compact one
    const compact = createHistogram({ compact: true });
    for (const p of parts) merge(compact, p);
    expect(statsMs(compact)).toEqual(statsMs(all));
  });
});
