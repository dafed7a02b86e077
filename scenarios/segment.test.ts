import { describe, expect, it } from 'vitest';
import { StormlabError } from '../core/errors.js';
import type { Arrival } from './arrival-schema.js';
import { arrivalOffsets } from './schedule.js';
import { inSegment, parseSegment, segmentFirstVu, segmentShare, segmentStarts } from './segment.js';

const ramp: Arrival = {
  executor: 'ramping-arrival-rate',
  startRate: 0,
  timeUnit: 1000,
  maxInFlight: 100,
  poisson: false,
  stages: [
    { duration: 3000, target: 60 },
    { duration: 2000, target: 60 },
  ],
};

describe('execution segments', () => {
  it('parse k6 forms and {index, count} to the same slices', () => {
    expect(parseSegment('0:1/3')).toMatchObject({ from: 0, to: 1 / 3 });
    expect(parseSegment('1/3:2/3')).toMatchObject({ from: 1 / 3, to: 2 / 3 });
    expect(parseSegment('1/2')).toMatchObject({ from: 0, to: 0.5 });
    expect(parseSegment('25%:0.5')).toMatchObject({ from: 0.25, to: 0.5 });
    expect(parseSegment({ index: 1, count: 3 })).toMatchObject({ from: 1 / 3, to: 2 / 3 });
    for (const bad of ['', '2/3:1/3', '0:4/3', 'a:b', '0:1:2', '1/0']) {
      let err: unknown;
      try {
        parseSegment(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(StormlabError);
      expect((err as StormlabError).code).toBe('SL_USAGE');
      expect((err as StormlabError).details[0]).toMatchObject({ path: 'segment', expected: expect.stringContaining('0:1/3') });
    }
    expect(() => parseSegment({ index: 3, count: 3 })).toThrow(/0 <= index < count/);
  });

  it('three segments take disjoint shares whose union is the whole schedule, each near a third of any stretch', () => {
    const whole = [...arrivalOffsets(ramp)];
    const parts = ['0:1/3', '1/3:2/3', '2/3:1'].map((s) => [...segmentStarts(ramp, 1, parseSegment(s))]);
    const all = parts.flat().sort((a, b) => a.index - b.index);
    expect(all.map((s) => s.index)).toEqual(whole.map((_, i) => i)); // complete, no overlap
    expect(all.map((s) => s.offset)).toEqual(whole); // at the same offsets
    for (const p of parts) {
      expect(Math.abs(p.length - whole.length / 3)).toBeLessThanOrEqual(3);
      const early = p.filter((s) => s.offset < 1500).length; // low-discrepancy: fair in every stretch too
      expect(Math.abs(early - whole.filter((o) => o < 1500).length / 3)).toBeLessThanOrEqual(3);
    }
  });

  it('uneven segments also tile, and shares of VUs add up', () => {
    const segs = ['0:1/4', '1/4:1/2', '1/2:1'].map((s) => parseSegment(s));
    for (let i = 0; i < 2000; i++) expect(segs.filter((s) => inSegment(s, i))).toHaveLength(1);
    expect(segs.map((s) => segmentShare(s, 10)).reduce((a, b) => a + b, 0)).toBe(10);
    expect(segs.map((s) => segmentFirstVu(s, 10))).toEqual([0, 3, 5]);
  });
});
