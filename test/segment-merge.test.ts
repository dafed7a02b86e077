/**
 * The native way to load from many machines: `stormlab run --segment` in three real CLI processes
 * against one shared lab (one fleet, one gateway, started here), merged with `stormlab report`.
 *
 * What "agree" can honestly mean here: latencies measured in different runs differ by noise, so
 * the merged report is held to what is exact — its request count equals the unsplit schedule's
 * (and a single-process run's), the three runners together sent exactly the single run's requests
 * (the same request ids and classes, none twice) — and its percentiles equal the percentiles of
 * the union of the three runners' raw samples within HDR precision (3 significant digits).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides, loadSpec } from '../scenarios/load-spec.js';
import { plannedOf } from '../scripts/lab/run-record.js';
import { cli, cliProcess, type CliResult } from './helpers/cli.js';
import { LAB_AUTH, startDefaultLab, type DefaultLab } from './helpers/gateway-lab.js';

const SPEC = 'baseline';
const DURATION = '6s';
const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];

interface Point {
  metric: string;
  value: number;
  tags: Record<string, string>;
  requestId?: string;
}

function points(runDir: string): Point[] {
  const out: Point[] = [];
  for (const line of readFileSync(join(runDir, 'samples.ndjson'), 'utf8').split('\n')) {
    if (!line) continue;
    const l = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags: Record<string, string>; metadata?: Record<string, string> } };
    if (l.type !== 'Point') continue;
    out.push({ metric: l.metric, value: l.data.value, tags: l.data.tags, requestId: l.data.metadata?.request_id });
  }
  return out;
}

/** The sample HDR's getValueAtPercentile lands on before bucketing: rank ceil(p·N), at least 1, of the µs-rounded values. */
function exactPercentileMs(valuesMs: number[], p: number): number {
  const us = valuesMs.map((v) => Math.round(v * 1000)).sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(Number(((p / 100) * us.length).toFixed(9))));
  return us[Math.min(rank, us.length) - 1]! / 1000;
}

interface SummaryLite {
  totals: { requests: number; errors: number; dropped: number };
  latency: Record<'ttft_ms' | 'e2e_ms', { p50: number; p90: number; p99: number; max: number; count: number }>;
  thresholds: { key: string; ok: boolean }[];
}
const summaryOf = (dir: string): SummaryLite => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryLite;
const plannedRequests = (dir: string): number | null =>
  (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { planned: { requests: number | null } }).planned.requests;

const ok = (r: CliResult, what: string): void => {
  expect(r.code, `${what} exit code; stderr:\n${r.stderr}`).toBe(0);
};
/** A run that completed: 0, or 99 when the spec's latency thresholds were crossed (timing on a busy machine, not under test). */
const completed = (r: CliResult, what: string): void => {
  expect([0, 99], `${what} exit code ${r.code}; stderr:\n${r.stderr}`).toContain(r.code);
};

describe('stormlab run --segment on 3 processes against one lab, merged by stormlab report', () => {
  let lab: DefaultLab;
  let dir: string;
  const runners = SEGMENTS.map((_, i) => `runner-${i}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stormlab-segments-'));
    lab = await startDefaultLab(dir);
    const target = lab.gateway.url;
    const auth = `Authorization: ${LAB_AUTH.authorization}`;
    const run = (out: string, extra: string[]) =>
      cliProcess(
        // no-store: the single run after the split ones must not be served from the gateway's cache they filled
        ['run', SPEC, '--duration', DURATION, '--target', target, '--header', auth, '--header', 'cache-control: no-store',
          '--out', join(dir, out), ...extra],
        { timeoutMs: 60_000 },
      );
    // the three runners at once, as three machines would run them
    const split = await Promise.all(SEGMENTS.map((s, i) => run(runners[i]!, ['--segment', s])));
    split.forEach((r, i) => completed(r, `runner ${SEGMENTS[i]}`));
    completed(await run('single', []), 'single-process run');
    ok(await cliProcess(['report', ...runners.map((r) => join(dir, r)), '--out', join(dir, 'merged')], { timeoutMs: 60_000 }), 'report');
  }, 150_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('the merged request count is the unsplit schedule, with nothing dropped and no errors', () => {
    const spec = applyOverrides(loadSpec(SPEC).spec, { durationMs: 6000 });
    const whole = plannedOf(spec).requests;
    expect(whole).toBeGreaterThan(30);
    const merged = summaryOf(join(dir, 'merged'));
    expect(merged.totals.requests).toBe(whole);
    expect(merged.totals).toMatchObject({ errors: 0, dropped: 0 });
    const single = summaryOf(join(dir, 'single'));
    expect(single.totals.requests).toBe(whole);
    // each runner ran its own share, and the shares add up
    const shares = runners.map((r) => summaryOf(join(dir, r)).totals.requests);
    expect(shares.every((n) => n > 0)).toBe(true);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(whole);
    expect(shares).toEqual(runners.map((r) => plannedRequests(join(dir, r))));
  });

  it('the three runners sent exactly the single run\'s requests: same ids and classes, none twice', () => {
    const ids = (d: string) => points(join(dir, d)).filter((p) => p.metric === 'http_reqs').map((p) => `${p.requestId} ${p.tags.class}`);
    const split = runners.flatMap(ids);
    expect(new Set(split).size).toBe(split.length);
    expect(split.sort()).toEqual(ids('single').sort());
  });

  it('merged percentiles equal those of the union of the raw samples within HDR precision', () => {
    const merged = summaryOf(join(dir, 'merged'));
    const union = runners.flatMap((r) => points(join(dir, r)));
    for (const [metric, key] of [['ttft', 'ttft_ms'], ['e2e', 'e2e_ms']] as const) {
      const values = union.filter((p) => p.metric === metric).map((p) => p.value);
      const m = merged.latency[key];
      expect(m.count, metric).toBe(values.length);
      expect(m.max, metric).toBeCloseTo(Math.max(...values), 3);
      for (const [p, got] of [[50, m.p50], [90, m.p90], [99, m.p99]] as const) {
        const exact = exactPercentileMs(values, p);
        // HDR reports the highest value of the exact value's bucket: never below it, at most 1/1000 above
        expect(got, `${metric} p${p}`).toBeGreaterThanOrEqual(exact);
        expect(got, `${metric} p${p}`).toBeLessThanOrEqual(exact * 1.001 + 0.001);
      }
    }
  });

  it('bare gzipped sample files, as collected from k6-operator runners, merge with stormlab k8s\'s run.json', async () => {
    // what `kubectl cp` brings back from the claim `stormlab k8s` writes: <pod>.ndjson.gz, no run.json
    // (the samples here are the native runners', standing in for k6 runners' files)
    const k8s = join(dir, 'k8s');
    const w = await cliProcess(['k8s', SPEC, '--parallelism', '3', '--duration', DURATION, '--target', lab.gateway.url, '--out', k8s]);
    ok(w, 'stormlab k8s');
    const results = join(dir, 'results');
    mkdirSync(results);
    const files = runners.map((r, i) => {
      const file = join(results, `stormlab-baseline-${i + 1}-x${i}q.ndjson.gz`);
      writeFileSync(file, gzipSync(readFileSync(join(dir, r, 'samples.ndjson'))));
      return file;
    });
    const args = ['report', ...files, '--run', join(k8s, 'run.json'), '--out', join(dir, 'collected')];
    const r = await cliProcess(args, { timeoutMs: 60_000 });
    ok(r, 'report of the collected files');
    const collected = summaryOf(join(dir, 'collected'));
    const merged = summaryOf(join(dir, 'merged'));
    // (rps differs: without run.json the run's length is the span of the samples)
    const { requests, errors, dropped } = merged.totals;
    expect(collected.totals).toMatchObject({ requests, errors, dropped });
    expect(collected.latency).toEqual(merged.latency);
    // the spec's thresholds are judged, as in the runners' own reports
    const spec = loadSpec(SPEC).spec;
    expect(collected.thresholds.map((t) => t.key).sort()).toEqual(Object.keys(spec.thresholds).sort());
    expect(collected.thresholds.map((t) => t.key).sort()).toEqual(merged.thresholds.map((t) => t.key).sort());
  });
});

describe('stormlab run --header', () => {
  it('goes with --target only, and a malformed one names the flag (exit 2)', async () => {
    const alone = await cli('run', SPEC, '--header', 'Authorization: Bearer x');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--header goes with --target');
    const bad = await cli('run', SPEC, '--target', 'http://127.0.0.1:9', '--header', 'no colon here');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--header must be "Name: value"/);
  });
});
