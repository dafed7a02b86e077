import { describe, expect, it } from 'vitest';
import { formatError, StormlabError } from '../core/errors.js';
import { meanRps, parseProfile } from './profile.js';
import { parseSlo, sloThresholds } from './slo.js';
import { evaluateThresholds } from './thresholds.js';

function usageError(fn: () => unknown): StormlabError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StormlabError);
    return e as StormlabError;
  }
  throw new Error('expected a usage error');
}

describe('SLO strings', () => {
  it('reads the issue example as k6 thresholds, and the k6 evaluator judges them', () => {
    const slo = parseSlo('ttft p99<1500ms, errors<1%');
    expect(slo.objectives.map((o) => o.threshold)).toEqual(['p(99)<1500', 'rate<0.01']);
    const th = sloThresholds(slo);
    expect(th).toEqual({ ttft: ['p(99)<1500'], http_req_failed: ['rate<0.01'] });
    const stats = { ttft: { count: 10, percentile: () => 1499 }, http_req_failed: { count: 10, rate: 0.02 } };
    const results = evaluateThresholds(th, (m) => stats[m as keyof typeof stats]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });

  it('takes seconds, p(99.9), avg and fractions', () => {
    const slo = parseSlo('e2e p99.9 <= 8s; ttft avg<300; itl p(95)<50ms, errors<0.005');
    expect(slo.objectives.map((o) => `${o.metric}:${o.threshold}`)).toEqual([
      'e2e:p(99.9)<=8000',
      'ttft:avg<300',
      'itl:p(95)<50',
      'http_req_failed:rate<0.005',
    ]);
  });

  it.each([
    ['', /is empty/],
    ['ttft<1500', /not a latency objective/],
    ['ttft p99>1500ms', /not a latency objective/],
    ['latency p99<1500', /names no known objective/],
    ['errors<150%', /at most 100%/],
    ['ttft p99<1500ms,, errors<1%', /objective 2 "" is empty/],
    ['ttft p100<5s', /percentile outside/],
    ['ttft p99<1s, ttft p(99)<2s', /repeats ttft p99/],
  ])('rejects %j naming --slo, the objective and the expected form', (text, why) => {
    const e = usageError(() => parseSlo(text));
    expect(e.code).toBe('SL_USAGE');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(why);
    const printed = formatError(e);
    expect(printed).toContain('--slo');
    expect(printed).toContain('ttft p99<1500ms');
  });
});

describe('traffic profiles', () => {
  it('reads the seeds example', () => {
    const p = parseProfile('2.3M/day, peak 85/s');
    expect(p.dailyRequests).toBe(2_300_000);
    expect(p.peakRps).toBe(85);
    expect(meanRps(p)).toBeCloseTo(26.62, 2);
  });

  it('converts other units', () => {
    expect(parseProfile('peak 3000/min, 60M/month')).toMatchObject({ dailyRequests: 2_000_000, peakRps: 50 });
    expect(parseProfile('10k requests/hour, peak 5/s').dailyRequests).toBe(240_000);
  });

  it.each([
    ['2.3M/day', /needs a peak rate/],
    ['peak 85/s', /needs a volume/],
    ['2.3M per day, peak 85/s', /part 1 .* neither a volume/],
    ['2.3M/day, peak 85/s, peak 90/s', /peak twice/],
    ['86.4M/day, peak 100/s', /peak \(100\/s\) below its mean rate \(1000\/s\)/],
  ])('rejects %j naming --profile and the expected form', (text, why) => {
    const e = usageError(() => parseProfile(text));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(why);
    expect(formatError(e)).toContain('--profile');
    expect(formatError(e)).toContain('2.3M/day, peak 85/s');
  });
});
