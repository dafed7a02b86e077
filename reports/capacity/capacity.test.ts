import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPACITY_JSON_SCHEMA_FILE, capacityJsonSchemaText } from './json-schema.js';
import { corroborated, findLimit } from './limit.js';
import { project } from './project.js';
import { renderCapacityMarkdown } from './render-markdown.js';
import { configResult } from './result.js';
import type { CapacityReport, Step, UpstreamLoad } from './schema.js';
import { gatewayCpu, ledgerWindow, processCpuSeconds, upstreamLoad } from './step.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');

function ledgerLine(atMs: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    time: new Date(T0 + atMs).toISOString(),
    endpoint: 'openai/us-east',
    status: 200,
    tokensIn: 50,
    tokensOut: 40,
    costUsd: 0.001,
    queueMs: 0,
    outcome: 'ok',
    ...over,
  });
}

function step(rate: number, ok: boolean, over: Partial<Step> = {}): Step {
  return {
    rate,
    achievedRps: rate,
    durationS: 5,
    ok,
    objectives: [{ key: 'ttft', threshold: 'p(99)<400', ok, observed: ok ? 300 : 900 }],
    requests: 100,
    errors: 0,
    errorRate: 0,
    dropped: 0,
    ttftP50Ms: 200,
    ttftP99Ms: ok ? 300 : 900,
    e2eP99Ms: ok ? 700 : 1300,
    costPer1kUsd: 1,
    ledgerUsd: 0.1,
    clientUsd: 0.1,
    cacheHitRate: 0,
    savedByCacheUsd: 0,
    statuses: { '200': 100 },
    upstream: null,
    gatewayCpu: null,
    runDir: `steps/${rate}`,
    rerunOf: null,
    ...over,
  };
}

function load(over: Partial<UpstreamLoad> = {}): UpstreamLoad {
  return { calls: 100, costUsd: 0.1, queued: 0, queueMeanMs: 0, queueP99Ms: 0, rateLimited: 0, overloaded: 0, otherErrors: 0, byEndpoint: {}, ...over };
}

describe('a step read from the fleet ledger and /metrics', () => {
  it('keeps only the calls of the step and counts queue time, 429s and overloaded answers per endpoint', () => {
    const text = [
      ledgerLine(-10),
      ledgerLine(0, { queueMs: 0 }),
      ledgerLine(100, { queueMs: 300 }),
      ledgerLine(200, { status: 429, tokensOut: 0, costUsd: 0, outcome: 'error' }),
      ledgerLine(300, { endpoint: 'anthropic/us-east', status: 529, outcome: 'error' }),
      ledgerLine(400, { status: 502, outcome: 'error' }),
      'not json',
      ledgerLine(5000),
    ].join('\n');
    const lines = ledgerWindow(text, { fromMs: T0, toMs: T0 + 5000 });
    expect(lines).toHaveLength(5);
    const u = upstreamLoad(lines);
    expect(u).toMatchObject({ calls: 5, queued: 1, rateLimited: 1, overloaded: 1, otherErrors: 1 });
    expect(u.queueP99Ms).toBeCloseTo(300, -1);
    expect(u.byEndpoint['openai/us-east']).toMatchObject({ calls: 4, rateLimited: 1, overloaded: 0, tokensIn: 200 });
    expect(u.byEndpoint['anthropic/us-east']?.overloaded).toBe(1);
  });

  it('reads process CPU from a Prometheus snapshot, total or user + system', () => {
    expect(processCpuSeconds('# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12.5\n')).toBe(12.5);
    expect(processCpuSeconds('process_cpu_user_seconds_total 2\nprocess_cpu_system_seconds_total 0.5\n')).toBe(2.5);
    expect(processCpuSeconds('stormlab_gateway_requests_total 3\n')).toBeNull();
    const metrics = { before: 'process_cpu_seconds_total 10\n', after: 'process_cpu_seconds_total 14.5\n' };
    expect(gatewayCpu({ metrics, proc: { before: 1, after: 2 } }, 5)).toEqual({ seconds: 4.5, cores: 0.9, source: 'metrics' });
    const none = { before: 'stormlab_gateway_requests_total 1\n', after: 'stormlab_gateway_requests_total 9\n' };
    expect(gatewayCpu({ metrics: none, proc: { before: 1, after: 2 } }, 4)).toEqual({ seconds: 1, cores: 0.25, source: 'proc' });
    expect(gatewayCpu({ metrics: { before: null, after: metrics.after } }, 5)).toBeNull();
  });
});

describe('where the limit came from', () => {
  it('a latency failure with nothing upstream, no errors and an idle gateway is not corroborated (worth a re-run)', () => {
    expect(corroborated(step(4, false, { upstream: load() }))).toBe(false);
    expect(corroborated(step(4, false, { upstream: load({ queueP99Ms: 300 }) }))).toBe(true);
    expect(corroborated(step(4, false, { upstream: load({ overloaded: 5 }) }))).toBe(true);
    expect(corroborated(step(4, false, { errorRate: 0.05 }))).toBe(true);
  });

  it('429s from the ledger are provider rate limits', () => {
    const steps = [step(10, true, { upstream: load() }), step(20, false, { upstream: load({ rateLimited: 30, calls: 130 }) })];
    const l = findLimit(steps, 10, 20)!;
    expect(l.cause).toBe('rate-limits');
    expect(l.causes[0]?.evidence).toContain('23.08% of upstream calls answered 429 at 20/s');
  });

  it('queue time that grows is upstream queueing; a busy gateway is named too', () => {
    const steps = [
      step(10, true, { upstream: load({ queueP99Ms: 5 }) }),
      step(20, false, { upstream: load({ queueP99Ms: 800, queued: 60 }), gatewayCpu: { seconds: 4.5, cores: 0.9, source: 'metrics' } }),
    ];
    const l = findLimit(steps, 10, 20)!;
    expect(l.causes.map((c) => c.cause)).toEqual(['upstream-queueing', 'gateway-cpu']);
    expect(l.causes[0]?.evidence).toContain('from 5.00 ms at 10/s to 800 ms at 20/s');
  });

  it('latency with quiet upstreams is latency added in front of the providers; client 503s count without a ledger', () => {
    expect(findLimit([step(10, true, { upstream: load() }), step(20, false, { upstream: load() })], 10, 20)?.cause).toBe('latency');
    const external = [step(10, true), step(20, false, { statuses: { '200': 90, '503': 10 } })];
    expect(findLimit(external, 10, 20)?.cause).toBe('upstream-overloaded');
  });
});

describe('projections', () => {
  it('cost and quota with and without the cache, and headroom at the peak', () => {
    const s = step(50, true, {
      requests: 1000,
      ledgerUsd: 0.5,
      savedByCacheUsd: 0.25,
      cacheHitRate: 0.25,
      upstream: load({ byEndpoint: { 'openai/us-east': { calls: 750, tokensIn: 60_000, tokensOut: 15_000, costUsd: 0.5, rateLimited: 0, overloaded: 0, queueP99Ms: 0 } } }),
    });
    const p = project(s, 50, { dailyRequests: 2_000_000, peakRps: 40 })!;
    expect(p.costPerRequestUsd).toBeCloseTo(0.0005, 10);
    expect(p.costPerRequestNoCacheUsd).toBeCloseTo(0.00075, 10);
    expect(p.dailyUsd).toBeCloseTo(1000, 6);
    expect(p.monthlyNoCacheUsd).toBeCloseTo(45_000, 4);
    expect(p.quotas[0]).toMatchObject({ endpoint: 'openai/us-east' });
    expect(p.quotas[0]!.rpm).toBeCloseTo(0.75 * 40 * 60, 6);
    expect(p.quotas[0]!.rpmNoCache).toBeCloseTo(40 * 60, 6);
    expect(p.quotas[0]!.tpm).toBeCloseTo(75 * 40 * 60, 6);
    expect(p.headroomAtPeak).toBeCloseTo(0.25, 9);
    expect(p.copiesForPeak).toBe(1);
    expect(project(s, 20, { dailyRequests: 1e6, peakRps: 45 })?.copiesForPeak).toBe(3);
  });

  it('a config result: knee below the lowest failure, steps sorted by rate, rendered', () => {
    const r = configResult({ name: 'default', file: null, steps: [step(2, true), step(8, false), step(4, true), step(6, false), step(5, true)], stop: 'converged' }, null);
    expect([r.knee, r.firstFail]).toEqual([5, 6]);
    expect(r.warnings).toEqual([]);
    const queued = step(5, true, { upstream: load({ queueP99Ms: 250 }) });
    const noisy = configResult({ name: 'n', file: null, steps: [step(4, true), queued, step(6, false), step(7, true)], stop: 'max-steps' }, null);
    expect(noisy.warnings).toEqual([
      expect.stringContaining('calls already queue at the knee (upstream queue p99 250 ms at 5/s)'),
      'the search stopped (max-steps) with the knee between 5/s and 6/s',
      '7/s met the SLO above the failing 6/s: the steps are noisy',
    ]);
    expect(r.steps.map((s) => s.rate)).toEqual([2, 4, 5, 6, 8]);
    const report: CapacityReport = {
      version: 1,
      spec: 'x',
      slo: { text: 'ttft p99<400ms', objectives: [{ metric: 'ttft', threshold: 'p(99)<400', source: 'ttft p99<400ms', limit: 400 }] },
      profile: null,
      search: { startRate: 2, maxRate: 200, factor: 2, tolerance: 0.05, stepS: 5, budgetS: 300 },
      target: null,
      startedAt: '',
      endedAt: '',
      configs: [r],
    };
    const md = renderCapacityMarkdown(report);
    expect(md).toContain('**Knee: 5/s**');
    expect(md).toContain('6/s broke it');
  });
});

describe('capacity.json schema', () => {
  it('docs/capacity.schema.json is what the zod schema generates (regenerate: npx tsx reports/capacity/json-schema.ts --write)', () => {
    expect(readFileSync(CAPACITY_JSON_SCHEMA_FILE, 'utf8')).toBe(capacityJsonSchemaText());
  });
});
