import { describe, expect, it } from 'vitest';
import { evaluateThresholds } from '../scenarios/thresholds.js';
import { MetricStore, percentileOf } from './stats.js';

describe('percentileOf', () => {
  it('interpolates between closest ranks like k6', () => {
    const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentileOf(v, 50)).toBe(55);
    expect(percentileOf(v, 90)).toBe(91);
    expect(percentileOf(v, 100)).toBe(100);
    expect(percentileOf(v, 0)).toBe(10);
    expect(percentileOf([7], 99)).toBe(7);
  });
});

describe('MetricStore thresholds', () => {
  it('evaluates trends, rates and counters with tag filters', () => {
    const s = new MetricStore();
    for (let i = 1; i <= 100; i++) s.add('ttft', i, { class: i <= 50 ? 'a' : 'b', status: '200' });
    s.add('http_req_failed', 0, {});
    s.add('http_req_failed', 1, {});
    s.add('http_req_failed', 0, {});
    s.add('http_req_failed', 0, {});
    s.add('tokens_out', 30, {});
    s.add('tokens_out', 70, {});
    const stats = (m: string, t: Record<string, string>) => s.statsFor(m, t, 2000);
    const r = evaluateThresholds(
      {
        ttft: ['p(99)<100', 'avg==50.5', 'max<=100', 'med>50'],
        'ttft{class:a}': ['max==50', 'count==50'],
        http_req_failed: ['rate<0.3'],
        tokens_out: ['count==100', 'rate==50'],
        dropped_iterations: ['count==0'],
        e2e: ['p(99)<1'],
      },
      stats,
    );
    expect(r.map((x) => [x.key, x.threshold, x.ok])).toEqual([
      ['ttft', 'p(99)<100', true],
      ['ttft', 'avg==50.5', true],
      ['ttft', 'max<=100', true],
      ['ttft', 'med>50', true],
      ['ttft{class:a}', 'max==50', true],
      ['ttft{class:a}', 'count==50', true],
      ['http_req_failed', 'rate<0.3', true],
      ['tokens_out', 'count==100', true],
      ['tokens_out', 'rate==50', true],
      ['dropped_iterations', 'count==0', true],
      ['e2e', 'p(99)<1', false], // no samples: fails, as in k6
    ]);
  });
});
