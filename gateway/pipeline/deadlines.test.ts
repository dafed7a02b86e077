import { describe, expect, it } from 'vitest';
import { deadline } from './deadlines.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('request deadlines', () => {
  it('fire once each, not before their time, in the order due; cancelled ones never fire', async () => {
    const fired: Array<[string, number]> = [];
    const mark = (name: string) => () => fired.push([name, performance.now()]);
    const t0 = performance.now();
    const a = deadline(t0, 40, mark('a'));
    const cancelled = deadline(t0 + 1, 40, mark('cancelled'));
    // set later but started earlier (a request that reached the deadline stage late): due first
    const early = deadline(t0 - 20, 40, mark('early'));
    const other = deadline(t0, 15, mark('other length'));
    cancelled.cancel();
    cancelled.cancel();
    await sleep(120);
    expect(fired.map(([n]) => n)).toEqual(['other length', 'early', 'a']);
    for (const [name, at] of fired) {
      const due = name === 'a' ? a.at : name === 'early' ? early.at : other.at;
      expect(at).toBeGreaterThanOrEqual(due - 1);
    }
    a.cancel(); // after firing: nothing happens
    expect(fired).toHaveLength(3);
  });

  it('a deadline already past fires on the next turn; the head cancelled, the next still fires', async () => {
    const fired: string[] = [];
    const now = performance.now();
    deadline(now - 100, 50, () => fired.push('past'));
    expect(fired).toEqual([]);
    const head = deadline(now, 25, () => fired.push('head'));
    deadline(now + 5, 25, () => fired.push('next'));
    head.cancel();
    await sleep(80);
    expect(fired).toEqual(['past', 'next']);
  });
});
