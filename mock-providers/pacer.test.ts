import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { pace } from './pacer.js';

describe('pacer', () => {
  it('never emits a piece before its due time, and sends what fell behind in one batch', async () => {
    const start = performance.now() - 25; // arrived 25 ms ago: pieces 0 and 1 are already due
    const offsets = Float64Array.from([10, 20, 40, 50, 60]);
    const batches: Array<{ from: number; to: number; at: number }> = [];
    let finished!: () => void;
    const all = new Promise<void>((r) => (finished = r));
    pace(start, offsets, (from, to) => {
      batches.push({ from, to, at: performance.now() - start });
      if (to === 2) {
        const until = performance.now() + 45; // a stalled event loop: pieces 2 and 3 fall behind
        while (performance.now() < until);
      }
      if (to === offsets.length) finished();
    });
    await all;
    expect(batches[0]).toMatchObject({ from: 0, to: 2 });
    expect(batches.find((b) => b.from === 2)!.to).toBeGreaterThanOrEqual(4); // 2 and 3 (maybe 4) together
    for (const b of batches) expect(b.at).toBeGreaterThanOrEqual(offsets[b.to - 1]!);
    expect(batches.at(-1)!.to).toBe(5);
  });

  it('cancel stops further emits', async () => {
    const emits: number[] = [];
    const p = pace(performance.now(), Float64Array.from([5, 10, 15]), (_f, to) => emits.push(to));
    p.cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(emits).toEqual([]);
  });
});
