import { HistogramLogReader } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import { header, requestLines, T0, type FakeRequest } from './fixtures/requests.js';
import { aggregateHlog, mergeHlogs } from './hlog.js';
import { ingestSamples } from './ingest.js';

function runner(seed: number, startMs: number): string[] {
  const rng = new Rng(seed);
  const reqs: FakeRequest[] = Array.from({ length: 600 }, (_, i) => ({
    atMs: startMs + i * 10,
    tags: { status: '200', provider: 'openai' },
    ttft: Math.round(rng.lognormal(300, 0.5) * 1000) / 1000,
    e2e: Math.round(rng.lognormal(2000, 0.4) * 1000) / 1000,
  }));
  return [...header(), ...reqs.flatMap(requestLines)];
}

describe('HDR interval logs', () => {
  it('exports one 1 s interval per second of the run, readable by HistogramLogReader', async () => {
    const agg = await ingestSamples(runner(1, T0), { startMs: T0 });
    const text = aggregateHlog(agg, 'ttft');
    expect(text).toContain('#[StartTime: ');
    expect(aggregateHlog(agg, 'itl')).toBeNull(); // no itl points
    const reader = new HistogramLogReader(text as string);
    const starts: number[] = [];
    let total = 0;
    for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) {
      expect(h.tag).toBe('ttft');
      starts.push(h.startTimeStampMsec - T0);
      total += h.totalCount;
    }
    expect(starts).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(total).toBe(600);
  });

  it('merges several runners: the same percentiles as ingesting all their samples together', async () => {
    const a = runner(1, T0);
    const b = runner(2, T0 + 300); // overlapping seconds add up
    const logA = aggregateHlog(await ingestSamples(a, { startMs: T0 }), 'e2e') as string;
    const logB = aggregateHlog(await ingestSamples(b, { startMs: T0 }), 'e2e') as string;
    const merged = mergeHlogs([logA, logB]);
    const all = (await ingestSamples([...a, ...b], { startMs: T0 })).metrics.get('e2e')!.hist!;
    const total = merged.totals.get('e2e')!;
    expect(total.count).toBe(1200);
    for (const p of [50, 90, 99, 99.9]) expect(total.hdr.getValueAtPercentile(p), `p${p}`).toBe(all.hdr.getValueAtPercentile(p));
    expect(merged.intervals).toBe(7); // seconds 0..6 of the two overlapping runners
    // and the merged log reads back to the same totals
    const again = mergeHlogs([merged.text]);
    expect(again.totals.get('e2e')!.hdr.getValueAtPercentile(99)).toBe(all.hdr.getValueAtPercentile(99));
  });

  it('counts interval lines it cannot decode instead of failing', () => {
    const merged = mergeHlogs(['#[StartTime: 1.000 (seconds since epoch)]\nTag=ttft,0.000,1.000,1.0,not-base64!!\n']);
    expect(merged.badIntervals).toBe(1);
    expect(merged.totals.size).toBe(0);
  });
});
