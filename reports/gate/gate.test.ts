import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantileSorted, sampleWithReplacement, mean, standardDeviation } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { buildReport } from '../build.js';
import { writeSyntheticRun } from '../fixtures/synthetic-run.js';
import { createHistogram, percentileCurve, recordMs, statsMs } from '../histogram.js';
import type { Summary } from '../summary-schema.js';
import { evaluateGate, GateRulesSchema, loadGateRules, runGate } from './index.js';
import { binomial, resampledQuantile } from './sampling.js';

const root = mkdtempSync(join(tmpdir(), 'stormlab-gate-'));
const runs: Record<string, Summary> = {};
async function run(name: string, seed: number, o: Parameters<typeof writeSyntheticRun>[1] = {}): Promise<string> {
  const dir = writeSyntheticRun(join(root, name), { seed, requests: 300, ...o });
  runs[name] = (await buildReport(dir)).summary;
  return dir;
}

beforeAll(async () => {
  await run('base-1', 1);
  await run('base-2', 2);
  await run('same-1', 1); // an identical rerun: same seed, same workload
  await run('same-2', 2);
  await run('other-1', 3); // the same system, other seeds: noise only
  await run('other-2', 4);
  await run('slow-1', 5, { addLatencyMs: 400 });
  await run('slow-2', 6, { addLatencyMs: 400 });
  await run('cold-1', 7, { cacheHitRate: 0 });
  await run('cold-2', 8, { cacheHitRate: 0 });
});

const rules = loadGateRules();
const pick = (...names: string[]) => names.map((n) => runs[n] as Summary);

describe('gate rules', () => {
  it('the default rules cover the six metrics', () => {
    expect(Object.keys(rules.rules).sort()).toEqual(['cache_hit_rate', 'cost_per_1k', 'dropped_rate', 'e2e_p99', 'error_rate', 'ttft_p99']);
    expect(rules.rules.ttft_p99?.maxIncrease).toEqual({ kind: 'relative', amount: 0.1, text: '+10%' });
    expect(rules.rules.cache_hit_rate?.maxDecrease).toEqual({ kind: 'absolute', amount: 0.05, text: '-0.05' });
  });

  it('bad rules name the file, the field and what was expected', () => {
    const file = join(root, 'gate.yaml');
    writeFileSync(file, 'rules:\n  ttft_p99: { maxIncrease: "-10%" }\n  p99_ttft: { max: 5 }\n  error_rate: {}\n');
    expect(() => loadGateRules(file)).toThrow(
      expect.objectContaining({
        code: 'SL_CONFIG_INVALID',
        details: expect.arrayContaining([
          expect.objectContaining({ file, path: 'rules.ttft_p99.maxIncrease', expected: expect.stringContaining('"+10%"') }),
          expect.objectContaining({ file, path: 'rules.p99_ttft', expected: 'no such field (unknown key)' }),
          expect.objectContaining({ file, path: 'rules.error_rate', expected: expect.stringContaining('maxIncrease') }),
        ]),
      }),
    );
    expect(GateRulesSchema.parse({ rules: { ttft_p99: { maxIncrease: 50 } } }).rules.ttft_p99?.maxIncrease).toEqual({ kind: 'absolute', amount: 50, text: '+50' });
  });
});

describe('gate sampling', () => {
  it('draws the bootstrap p99 of n requests like resampling them does (Beta order statistic through the HDR curve)', () => {
    const rng = new Rng(9);
    const values = Array.from({ length: 3000 }, () => rng.lognormal(300, 0.5));
    const h = createHistogram();
    for (const v of values) recordMs(h, v);
    const curve = percentileCurve(h, 8);
    const max = statsMs(h).max as number;
    const fast = Array.from({ length: 600 }, () => resampledQuantile(rng, curve, max, values.length, 0.99));
    const brute = Array.from({ length: 600 }, () => quantileSorted(sampleWithReplacement(values, values.length, () => rng.uniform()).sort((a, b) => a - b), 0.99));
    expect(mean(fast)).toBeCloseTo(mean(brute), -1); // within ~5 ms of ~1000 ms
    expect(standardDeviation(fast) / standardDeviation(brute)).toBeGreaterThan(0.7);
    expect(standardDeviation(fast) / standardDeviation(brute)).toBeLessThan(1.4);
  });

  it('binomial draws have the right mean and spread', () => {
    const rng = new Rng(3);
    for (const [n, p] of [[50, 0.3], [5000, 0.02], [100_000, 0.0005], [5000, 0.999]] as const) {
      const xs = Array.from({ length: 2000 }, () => binomial(rng, n, p));
      expect(mean(xs) / (n * p), `${n} ${p}`).toBeCloseTo(1, 1);
      expect(standardDeviation(xs) / Math.sqrt(n * p * (1 - p)), `${n} ${p}`).toBeGreaterThan(0.85);
      expect(standardDeviation(xs) / Math.sqrt(n * p * (1 - p)), `${n} ${p}`).toBeLessThan(1.15);
    }
  });
});

describe('evaluateGate', () => {
  it('an identical rerun passes every rule', () => {
    const v = evaluateGate(pick('base-1', 'base-2'), pick('same-1', 'same-2'), rules);
    expect(v.ok).toBe(true);
    expect(v.results.map((r) => [r.metric, r.status])).toEqual([
      ['ttft_p99', 'pass'],
      ['e2e_p99', 'pass'],
      ['error_rate', 'pass'],
      ['cost_per_1k', 'pass'],
      ['cache_hit_rate', 'pass'],
      ['dropped_rate', 'pass'],
    ]);
  });

  it('noise alone (other seeds) does not fail', () => {
    expect(evaluateGate(pick('base-1', 'base-2'), pick('other-1', 'other-2'), rules).ok).toBe(true);
  });

  it('added latency fails p99 TTFT with an interval clear of the limit', () => {
    const v = evaluateGate(pick('base-1', 'base-2'), pick('slow-1', 'slow-2'), rules);
    expect(v.ok).toBe(false);
    const ttft = v.results.find((r) => r.metric === 'ttft_p99');
    expect(ttft).toMatchObject({ status: 'regression', mode: 'relative', limit: 0.1 });
    expect(ttft?.interval?.[0]).toBeGreaterThan(0.1);
    expect(v.results.find((r) => r.metric === 'cost_per_1k')?.status).toBe('pass');
  });

  it('a disabled cache fails cost per 1k and the cache hit rate', () => {
    const v = evaluateGate(pick('base-1', 'base-2'), pick('cold-1', 'cold-2'), rules);
    expect(v.results.filter((r) => r.status === 'regression').map((r) => r.metric)).toEqual(['cost_per_1k', 'cache_hit_rate']);
  });

  it('is deterministic for a seed, and a change within the noise is "noisy", not failed', () => {
    const tight = GateRulesSchema.parse({ rules: { ttft_p99: { maxIncrease: '+1%' } } });
    const a = evaluateGate(pick('base-1'), pick('other-1'), tight);
    expect(evaluateGate(pick('base-1'), pick('other-1'), tight)).toEqual(a);
    const r = a.results[0];
    if ((r?.change ?? 0) > 0.01) expect(r?.status).toBe('noisy');
    else expect(r?.status).toBe('pass');
  });

  it('absolute bounds need no baseline data; a side without data is not checked', () => {
    const bound = GateRulesSchema.parse({ rules: { error_rate: { max: 0.5 }, ttft_p99: { maxIncrease: '+10%' } } });
    const noTtft = { ...(runs['base-1'] as Summary), latency: { ...(runs['base-1'] as Summary).latency, ttft_ms: { ...(runs['base-1'] as Summary).latency.ttft_ms, count: 0, p99: null } } };
    const v = evaluateGate([noTtft], pick('same-1'), bound);
    expect(v.results.map((r) => [r.metric, r.check, r.status])).toEqual([
      ['ttft_p99', 'maxIncrease', 'no-data'],
      ['error_rate', 'max', 'pass'],
    ]);
  });
});

describe('runGate', () => {
  it('names the regressed metric in the Markdown verdict', async () => {
    const r = await runGate({ baseline: [join(root, 'base-1'), join(root, 'base-2', 'summary.json')], current: [join(root, 'slow-1'), join(root, 'slow-2')] });
    expect(r.verdict.ok).toBe(false);
    expect(r.markdown).toContain('## stormlab gate — ✗ regression: p99 TTFT');
    expect(r.markdown).toMatch(/✗ \*\*p99 TTFT\*\* regressed: a change of \+\d+\.\d% \(95% interval \+\d+\.\d% … \+\d+\.\d%\) is beyond the limit \+10%\./);
  });

  it('a missing baseline is a clear error (exit 2)', async () => {
    await expect(runGate({ baseline: [join(root, 'main-branch')], current: [join(root, 'same-1')] })).rejects.toMatchObject({
      code: 'SL_CONFIG_NOT_FOUND',
      exitCode: 2,
      message: expect.stringContaining('baseline'),
    });
    await expect(runGate({ baseline: [], current: [join(root, 'same-1')] })).rejects.toMatchObject({ code: 'SL_USAGE' });
  });

  it('refuses an interrupted baseline unless told to, and says which runs were interrupted', async () => {
    const dir = writeSyntheticRun(join(root, 'cut-base'), { seed: 1, requests: 300 });
    const runJson = join(dir, 'run.json');
    const meta = JSON.parse(readFileSync(runJson, 'utf8')) as Record<string, unknown>;
    const interrupted = { at: meta.endedAt, signal: 'SIGINT', cut: 1 };
    writeFileSync(runJson, JSON.stringify({ ...meta, status: 'interrupted', planned: { durationMs: 20_000, requests: 600 }, interrupted }));
    await buildReport(dir);
    await expect(runGate({ baseline: [dir], current: [join(root, 'same-1')] })).rejects.toMatchObject({
      code: 'SL_BASELINE_INTERRUPTED',
      exitCode: 2,
      message: expect.stringContaining('--allow-interrupted'),
      details: [expect.objectContaining({ file: join(dir, 'summary.json'), path: 'run.interrupted' })],
    });
    const allowed = await runGate({ baseline: [dir], current: [join(root, 'same-1')], allowInterrupted: true });
    expect(allowed.verdict.ok).toBe(true);
    expect(allowed.markdown).toContain('⚠ cut-base (baseline): interrupted: stopped by SIGINT');
    // an interrupted current run is held against the baseline, and flagged
    const flagged = await runGate({ baseline: [join(root, 'base-1')], current: [dir] });
    expect(flagged.markdown).toContain('⚠ cut-base (current): interrupted');
  });
});
