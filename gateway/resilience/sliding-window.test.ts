import { describe, expect, it } from 'vitest';
import { SlidingWindow } from './sliding-window.js';

describe('SlidingWindow', () => {
  it('sums what falls inside the window and forgets what slid out', () => {
    const w = new SlidingWindow(10_000, 10, ['ok', 'fail'] as const);
    w.add('ok', 0);
    w.add('ok', 500, 2);
    w.add('fail', 4_000);
    expect(w.sum('ok', 5_000)).toBe(3);
    expect(w.sum('fail', 5_000)).toBe(1);
    expect(w.sum('ok', 10_500)).toBe(0); // the 0–1 s slice has slid out
    expect(w.sum('fail', 10_500)).toBe(1);
    expect(w.sum('fail', 14_000)).toBe(0);
  });

  it('reuses slices, so memory stays constant however long it runs', () => {
    const w = new SlidingWindow(1_000, 10, ['n'] as const);
    for (let t = 0; t < 100_000; t += 10) w.add('n', t);
    expect(w.sum('n', 99_999)).toBe(100); // one per 10 ms over the last second
  });

  it('treats a clock stepping back as the latest time seen', () => {
    const w = new SlidingWindow(1_000, 10, ['n'] as const);
    w.add('n', 5_000);
    w.add('n', 4_000);
    expect(w.sum('n', 5_000)).toBe(2);
  });

  it('clear() forgets everything', () => {
    const w = new SlidingWindow(1_000, 4, ['n'] as const);
    w.add('n', 10);
    w.clear();
    expect(w.sum('n', 10)).toBe(0);
  });
});
