import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { youngGenPacer } from './gc-pacing.js';

const young = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

let sink: unknown;
/** short-lived garbage until the young generation holds at least `bytes` (bounded) */
function fillYoung(bytes: number): void {
  for (let i = 0; i < 200 && young() < bytes; i++) sink = Array.from({ length: 2000 }, (_, k) => ({ k }));
}

describe('young-generation pacing', () => {
  it('collects the young generation only while many timers are pending, at most every few ms', () => {
    const pace = youngGenPacer();
    expect(pace).not.toBeNull(); // Node exposes gc to a fresh context
    fillYoung(1024 * 1024);
    const full = young();
    pace!(1000, 5); // few timers pending: left alone
    expect(young()).toBeGreaterThanOrEqual(full);
    pace!(1000, 100);
    const after = young();
    expect(after).toBeLessThan(full / 2);
    fillYoung(after + 1024 * 1024);
    const again = young();
    pace!(1001, 100); // checked 1 ms ago: not yet
    expect(young()).toBeGreaterThanOrEqual(again);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined'); // no global gc left behind
  });
});
