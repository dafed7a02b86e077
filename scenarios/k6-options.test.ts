import { describe, expect, it } from 'vitest';
import { buildK6Options, wholeRates } from './k6-options.js';
import { loadSpec } from './load-spec.js';
import { SpecSchema } from './spec-schema.js';

describe('buildK6Options', () => {
  it('maps the baseline to a ramping-arrival-rate scenario and its thresholds', () => {
    const { spec } = loadSpec('baseline');
    expect(buildK6Options(spec)).toMatchObject({
      scenarios: {
        baseline: {
          executor: 'ramping-arrival-rate',
          startRate: 2,
          timeUnit: '1s',
          stages: [
            { duration: '5s', target: 10 },
            { duration: '25s', target: 10 },
          ],
          maxVUs: 256,
          gracefulStop: '60s',
        },
      },
      thresholds: { ttft: ['p(99)<3000'], e2e: ['p(99)<10000'], http_req_failed: ['rate<0.02'] },
    });
    const s = buildK6Options(spec).scenarios.baseline!;
    if (s.executor === 'constant-vus') throw new Error('expected an arrival-rate scenario');
    expect(s.preAllocatedVUs).toBeGreaterThanOrEqual(1);
    expect(s.preAllocatedVUs).toBeLessThanOrEqual(256);
  });

  it('keeps abortOnFail objects and turns fractional rates into whole ones', () => {
    const spec = SpecSchema.parse({
      name: 'slow.trickle',
      arrival: { executor: 'constant-arrival-rate', rate: 0.5, duration: '1m30s', maxInFlight: 4 },
      workload: { classes: [{ name: 'c', model: 'm', promptTokens: { dist: 'constant', value: 9 }, maxTokens: { dist: 'constant', value: 9 } }] },
      thresholds: { 'ttft{class:c}': [{ threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '10s' }, 'max<900'] },
      timeout: '1500ms',
    });
    const o = buildK6Options(spec);
    expect(o.scenarios).toEqual({
      slow_trickle: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '2s', duration: '90s', preAllocatedVUs: 3, maxVUs: 4, gracefulStop: '1500ms' },
    });
    expect(o.thresholds).toEqual({ 'ttft{class:c}': [{ threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '10s' }, 'max<900'] });
  });

  it('wholeRates finds the smallest stretch of the time unit', () => {
    expect(wholeRates([2.5, 10], 1000)).toEqual({ rates: [5, 20], timeUnitMs: 2000 });
    expect(wholeRates([1 / 3], 1000)).toEqual({ rates: [1], timeUnitMs: 3000 });
    expect(wholeRates([0.1234567], 1000)).toEqual({ rates: [123], timeUnitMs: 1_000_000 }); // rounded at ×1000
  });
});

describe('buildK6Options: closed model and Poisson', () => {
  const classes = [{ name: 'c', model: 'm', promptTokens: { dist: 'constant', value: 9 }, maxTokens: { dist: 'constant', value: 9 } }];
  it('maps constant-vus to k6 constant-vus', () => {
    const spec = SpecSchema.parse({ name: 'closed', arrival: { executor: 'constant-vus', vus: 7, duration: '2m' }, workload: { classes }, timeout: '20s' });
    expect(buildK6Options(spec).scenarios).toEqual({ closed: { executor: 'constant-vus', vus: 7, duration: '120s', gracefulStop: '20s' } });
  });
  it('runs a Poisson spec as the even schedule at the same rate (k6 has no Poisson executor)', () => {
    const spec = SpecSchema.parse({ name: 'p', arrival: { executor: 'constant-arrival-rate', rate: 5, duration: '10s', poisson: true }, workload: { classes } });
    expect(buildK6Options(spec).scenarios.p).toMatchObject({ executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '10s' });
  });
});
