import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import { metricLine, pointLine } from '../scenarios/samples.js';
import { header, requestLines, T0, type FakeRequest } from './fixtures/requests.js';
import { percentileMs, statsMs } from './histogram.js';
import { ingestInto, ingestSamples } from './ingest.js';

/** Nearest-rank percentile of the exact values, the reference HDR approximates. */
function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length - 1e-9) - 1)] as number;
}

function roundTripRun(n: number, seed: number) {
  const rng = new Rng(seed);
  const reqs: FakeRequest[] = [];
  for (let i = 0; i < n; i++) {
    const ttft = Math.round(rng.lognormal(250, 0.6) * 1000) / 1000;
    reqs.push({
      atMs: T0 + i * 7.5 + rng.uniform(),
      tags: { scenario: 'default', class: rng.chance(0.7) ? 'chat' : 'summarize', provider: 'openai', region: 'us-east', status: '200' },
      ttft,
      e2e: ttft + Math.round(rng.lognormal(1500, 0.5) * 1000) / 1000,
      tokensIn: rng.int(10, 2000),
      tokensOut: rng.int(16, 512),
      costUsd: rng.int(1, 5000) / 1e6,
      cacheHit: rng.chance(0.2),
      attempts: rng.chance(0.1) ? 2 : 1,
    });
  }
  return { reqs, lines: [...header(), ...reqs.flatMap(requestLines)] };
}

describe('ingestSamples', () => {
  it('round-trips lines made by the contract writers: same counts, sums and percentiles', async () => {
    const { reqs, lines } = roundTripRun(2000, 11);
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-ingest-'));
    const file = join(dir, 'samples.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const agg = await ingestSamples(file);

    expect(agg.lines).toBe(lines.length);
    expect(agg.metricLines).toBe(header().length);
    expect(agg.points).toBe(lines.length - header().length);
    expect(agg.bad.count).toBe(0);
    expect(agg.metrics.get('http_reqs')?.sum).toBe(2000);
    expect(agg.metrics.get('http_req_failed')?.nonZero).toBe(0);
    const sum = (f: (r: FakeRequest) => number) => reqs.reduce((s, r) => s + f(r), 0);
    expect(agg.metrics.get('tokens_in')?.sum).toBe(sum((r) => r.tokensIn ?? 0));
    expect(agg.metrics.get('tokens_out')?.sum).toBe(sum((r) => r.tokensOut ?? 0));
    expect(agg.metrics.get('cost_usd')?.sum).toBeCloseTo(sum((r) => r.costUsd ?? 0), 9);
    expect(agg.metrics.get('cache_hit')?.nonZero).toBe(reqs.filter((r) => r.cacheHit).length);
    expect(agg.attempts.retried).toBe(reqs.filter((r) => (r.attempts ?? 1) > 1).length);

    for (const metric of ['ttft', 'e2e'] as const) {
      const exact = reqs.map((r) => r[metric] as number).sort((a, b) => a - b);
      const hist = agg.metrics.get(metric)?.hist;
      expect(hist).toBeTruthy();
      const s = statsMs(hist!);
      expect(s.count).toBe(2000);
      // recorded to the microsecond
      expect(s.min).toBeCloseTo(exact[0]!, 3);
      expect(s.max).toBeCloseTo(exact[exact.length - 1]!, 3);
      expect(s.mean).toBeCloseTo(exact.reduce((a, b) => a + b, 0) / exact.length, 2);
      for (const p of [50, 90, 95, 99, 99.9]) {
        const want = exactPercentile(exact, p);
        const got = percentileMs(hist!, p) as number;
        expect(Math.abs(got - want), `${metric} p${p}`).toBeLessThanOrEqual(want * 1e-3 + 0.001);
      }
    }
  });

  it('counts garbage, truncated and malformed lines with their line numbers, and goes on', async () => {
    const good = requestLines({ atMs: T0, tags: { status: '200' }, ttft: 120, e2e: 900 });
    const lines = [
      metricLine('ttft'),
      'this is not json',
      ...good,
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00.1', // truncated, as when k6 is killed
      '',
      '[1,2,3]',
      JSON.stringify({ type: 'Point', metric: 'ttft', data: { time: 'yesterday', value: 5, tags: {} } }),
      JSON.stringify({ type: 'Point', metric: 'ttft', data: { time: '2026-11-21T17:36:01Z', value: 'fast', tags: {} } }),
      JSON.stringify({ type: 'Whatever', metric: 'ttft', data: {} }),
    ];
    const agg = await ingestSamples(lines);
    expect(agg.bad.count).toBe(6);
    const n = good.length;
    expect(agg.bad.samples).toEqual([
      { line: 2, reason: 'not JSON' },
      { line: 3 + n, reason: 'not JSON' },
      { line: 5 + n, reason: 'missing metric or data' },
      { line: 6 + n, reason: 'point time is not an RFC 3339 time' },
      { line: 7 + n, reason: 'point without a numeric value' },
      { line: 8 + n, reason: 'unknown line type "Whatever"' },
    ]);
    expect(agg.lines).toBe(lines.length - 1); // the blank line is not a sample line, nor a bad one
    expect(agg.metrics.get('ttft')?.count).toBe(1);
    expect(agg.metrics.get('http_reqs')?.sum).toBe(1);
  });

  it('keeps only the first few bad-line reasons but counts them all', async () => {
    const lines = Array.from({ length: 50 }, () => 'garbage');
    const agg = await ingestSamples(lines, { keepBadLines: 3 });
    expect(agg.bad.count).toBe(50);
    expect(agg.bad.samples.map((s) => s.line)).toEqual([1, 2, 3]);
  });

  it("counts metrics stormlab does not define (real k6's own) and keeps them for thresholds", async () => {
    const at = (m: string, v: number) => pointLine(m, v, { scenario: 'default' }, T0);
    const lines = [
      JSON.stringify({ type: 'Metric', metric: 'http_req_waiting', data: { name: 'http_req_waiting', type: 'trend', contains: 'time', thresholds: [], submetrics: null } }),
      at('http_req_waiting', 12.5),
      at('http_req_waiting', 20),
      at('vus', 3),
      at('iterations', 1),
      ...requestLines({ atMs: T0, tags: { status: '200' }, e2e: 40 }),
    ];
    const agg = await ingestSamples(lines);
    expect(Object.fromEntries(agg.unknownMetrics)).toEqual({ http_req_waiting: 2, vus: 1, iterations: 1 });
    expect(agg.bad.count).toBe(0);
    expect(agg.metrics.get('http_req_waiting')?.hist?.count).toBe(2);
    expect(agg.metrics.get('http_reqs')?.sum).toBe(1);
  });

  it('merges several runners into one aggregate (percentiles merged, not averaged)', async () => {
    const a = roundTripRun(300, 1);
    const b = roundTripRun(300, 2);
    const agg = await ingestSamples(a.lines);
    await ingestInto(agg, b.lines);
    const all = await ingestSamples([...a.lines, ...b.lines]);
    expect(agg.metrics.get('http_reqs')?.sum).toBe(600);
    expect(statsMs(agg.metrics.get('ttft')!.hist!)).toEqual(statsMs(all.metrics.get('ttft')!.hist!));
  });

  it('a missing samples file is a clear error naming the file', async () => {
    await expect(ingestSamples('/nonexistent/samples.ndjson')).rejects.toMatchObject({
      code: 'SL_CONFIG_NOT_FOUND',
      message: expect.stringContaining('/nonexistent/samples.ndjson'),
    });
  });

  it('rejects a threshold it cannot track, naming the key', async () => {
    await expect(ingestSamples([], { thresholds: { 'ttft{class}': ['p(99)<100'] }, thresholdsSource: 'run.json' })).rejects.toMatchObject({
      code: 'SL_CONFIG_INVALID',
      details: [{ file: 'run.json', path: 'thresholds.ttft{class}' }],
    });
  });

  it('reads gzip (by its magic bytes) and CRLF files like plain ones', async () => {
    const { lines } = roundTripRun(300, 5);
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-ingest-'));
    const plain = join(dir, 'samples.ndjson');
    const gz = join(dir, 'samples.ndjson.gz');
    const crlf = join(dir, 'crlf.ndjson');
    writeFileSync(plain, `${lines.join('\n')}\n`);
    writeFileSync(gz, gzipSync(`${lines.join('\n')}\n`));
    writeFileSync(crlf, lines.join('\r\n'));
    const want = statsMs((await ingestSamples(plain)).metrics.get('ttft')!.hist!);
    for (const f of [gz, crlf]) {
      const agg = await ingestSamples(f);
      expect(agg.bad.count, f).toBe(0);
      expect(agg.lines, f).toBe(lines.length);
      expect(statsMs(agg.metrics.get('ttft')!.hist!), f).toEqual(want);
    }
  });

  it('a truncated gzip file keeps what was read and reports the cut, not fatal', async () => {
    const { lines } = roundTripRun(2000, 6);
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-ingest-'));
    const file = join(dir, 'samples.ndjson.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const agg = await ingestSamples(file);
    expect(agg.lines).toBeGreaterThan(100);
    expect(agg.lines).toBeLessThan(lines.length);
    expect(agg.bad.samples.at(-1)?.reason).toMatch(/gzip stream ended early/);
    expect(agg.sources).toEqual([{ name: expect.stringContaining('samples.ndjson.gz'), lines: agg.lines, points: agg.points, badLines: agg.bad.count }]);
  });

  it("reads real k6 --out json lines (metric last, nanosecond times with an offset)", async () => {
    const lines = [
      '{"type":"Metric","data":{"type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"ttft"}',
      '{"type":"Point","data":{"time":"2026-11-21T18:36:00.123456789+01:00","value":250.5,"tags":{"status":"200","provider":"openai"}},"metric":"ttft"}',
      '{"type":"Point","data":{"time":"2026-11-21T18:36:00.2+01:00","value":1,"tags":{"status":"200","provider":"openai"}},"metric":"http_reqs"}',
    ];
    const agg = await ingestSamples(lines);
    expect(agg.bad.count).toBe(0);
    expect(agg.metricLines).toBe(1);
    expect(agg.metrics.get('ttft')?.hist?.count).toBe(1);
    expect(agg.firstTimeMs).toBe(Date.UTC(2026, 10, 21, 17, 36, 0) + 123.456789);
    expect(agg.groups.provider.get('openai')?.httpReqs).toBe(1);
  });

  it('counts cache false hits from the cache_false_hit metric, or from intent tags', async () => {
    const at = (metric: string, v: number, tags: Record<string, string>) => pointLine(metric, v, tags, T0);
    const fromMetric = await ingestSamples([at('cache_hit', 1, { cache: 'semantic' }), at('cache_false_hit', 1, {}), at('cache_false_hit', 0, {})]);
    expect(fromMetric.cache).toMatchObject({ metricChecked: 2, metricFalse: 1 });
    const fromTags = await ingestSamples([
      at('cache_hit', 1, { cache: 'semantic', intent: 'refund', cache_intent: 'billing' }),
      at('cache_hit', 1, { cache: 'exact', intent: 'refund', cache_intent: 'refund' }),
      at('cache_hit', 1, { cache: 'exact' }),
      at('cache_hit', 0, { cache: 'miss', intent: 'refund' }),
    ]);
    expect(fromTags.cache).toMatchObject({ tagChecked: 2, tagFalse: 1 });
    expect(fromTags.unknownMetrics.size).toBe(0);
  });
});

