import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedIterations } from '../scenarios/schedule.js';
import { parseSampleLine, type PointLine, type SampleLine } from '../scenarios/samples.js';
import { SpecSchema, type Spec } from '../scenarios/spec-schema.js';
import { runDriver, thresholdsPassed } from './run.js';
import { percentileOf } from './stats.js';
import { startTestUpstream, type TestUpstream } from './test-upstream.js';

let upstream: TestUpstream;
const dir = mkdtempSync(join(tmpdir(), 'stormlab-driver-'));
beforeAll(async () => {
  upstream = await startTestUpstream({ ttftMs: 80, itlMs: 10, contentChunks: 5, delayMs: 300 });
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

const cls = (name: string, model: string, streamRatio: number) => ({
  name,
  model,
  streamRatio,
  promptTokens: { dist: 'constant', value: 50 },
  maxTokens: { dist: 'constant', value: 5 },
});

function makeSpec(name: string, rate: number, duration: string, maxInFlight: number, classes: unknown[], extra: Record<string, unknown> = {}): Spec {
  return SpecSchema.parse({
    name,
    arrival: { executor: 'constant-arrival-rate', rate, duration, maxInFlight },
    workload: { seed: 5, classes },
    timeout: '5s',
    ...extra,
  });
}

function readLines(file: string): SampleLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const p = parseSampleLine(l);
      if (!p.ok) throw new Error(`unparseable line: ${p.reason}: ${l}`);
      return p.line;
    });
}

const points = (lines: SampleLine[], metric: string): PointLine[] =>
  lines.filter((l): l is PointLine => l.type === 'Point' && l.metric === metric);
const values = (lines: SampleLine[], metric: string): number[] => points(lines, metric).map((p) => p.data.value).sort((a, b) => a - b);

describe('runDriver', () => {
  it('runs the schedule against an SSE server and measures TTFT, ITL and E2E', async () => {
    const spec = makeSpec('sse-run', 20, '1s', 64, [cls('chat', 'sse', 1)], { thresholds: { ttft: ['p(99)<3000'], e2e: ['p(50)<1'] } });
    const out = join(dir, 'sse.ndjson');
    const r = await runDriver({ spec, target: `${upstream.url}/`, out });

    expect(r.requests).toBe(expectedIterations(spec.arrival));
    expect(r).toMatchObject({ requests: 20, ok: 20, errors: 0, dropped: 0, interrupted: 0, ttftDefinition: 'first-content-chunk' });
    expect(new Set(upstream.requestIds)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `sse-run-${i}`)));

    const lines = readLines(out);
    const firstPoint = lines.findIndex((l) => l.type === 'Point');
    expect(lines.slice(firstPoint).every((l) => l.type === 'Point')).toBe(true);
    const ttftMetric = lines.find((l) => l.type === 'Metric' && l.metric === 'ttft');
    expect(ttftMetric?.type === 'Metric' && ttftMetric.data.thresholds).toEqual(['p(99)<3000']);

    // truth: TTFT 80 ms, 4 gaps of 10 ms → E2E ≈ 120 ms; generous bounds on a shared machine
    const ttft = values(lines, 'ttft');
    const e2e = values(lines, 'e2e');
    const itl = values(lines, 'itl');
    expect(ttft).toHaveLength(20);
    expect(percentileOf(ttft, 50)).toBeGreaterThanOrEqual(79);
    expect(percentileOf(ttft, 50)).toBeLessThan(300);
    expect(percentileOf(e2e, 50)).toBeGreaterThanOrEqual(115);
    expect(percentileOf(e2e, 50)).toBeLessThan(400);
    expect(percentileOf(itl, 50)).toBeGreaterThanOrEqual(8);
    expect(percentileOf(itl, 50)).toBeLessThan(60);
    expect(values(lines, 'schedule_lag')).toHaveLength(20);

    const t = points(lines, 'ttft')[0]!.data.tags;
    expect(t).toMatchObject({ scenario: 'sse-run', class: 'chat', model: 'sse', stream: 'true', status: '200', provider: 'acme', region: 'mars-1', cache: 'miss', ttft_def: 'first-content-chunk' });
    expect(t.error).toBeUndefined();
    expect(values(lines, 'tokens_in').every((v) => v === 21)).toBe(true);
    expect(values(lines, 'tokens_out').every((v) => v === 5)).toBe(true);
    expect(values(lines, 'cost_usd')).toHaveLength(20);
    expect(values(lines, 'attempts').every((v) => v === 2)).toBe(true);
    expect(values(lines, 'cache_hit').every((v) => v === 0)).toBe(true);
    expect(values(lines, 'http_req_failed').every((v) => v === 0)).toBe(true);

    // points are timed at the intended starts: 0, 50, … 950 ms after the start
    const times = points(lines, 'http_reqs').map((p) => Date.parse(p.data.time) - r.startedAtMs).sort((a, b) => a - b);
    times.forEach((dt, k) => expect(Math.abs(dt - k * 50)).toBeLessThanOrEqual(1));

    expect(r.thresholds).toEqual([
      { key: 'ttft', threshold: 'p(99)<3000', ok: true, observed: expect.any(Number) },
      { key: 'e2e', threshold: 'p(50)<1', ok: false, observed: expect.any(Number) },
    ]);
    expect(thresholdsPassed(r)).toBe(false);
  });

  it('drops starts beyond maxInFlight and counts them; non-streams get e2e but no ttft', async () => {
    const spec = makeSpec('tight', 20, '500ms', 2, [cls('plain', 'plain', 0)]);
    const out = join(dir, 'tight.ndjson');
    const r = await runDriver({ spec, target: upstream.url, out });
    expect(r.requests + r.dropped).toBe(10);
    expect(r.requests).toBeGreaterThanOrEqual(2);
    expect(r.dropped).toBeGreaterThanOrEqual(4);
    const lines = readLines(out);
    expect(points(lines, 'dropped_iterations')).toHaveLength(r.dropped);
    expect(points(lines, 'dropped_iterations')[0]!.data.tags).toEqual({ scenario: 'tight' });
    expect(points(lines, 'ttft')).toHaveLength(0);
    expect(points(lines, 'itl')).toHaveLength(0);
    expect(values(lines, 'e2e').every((v) => v >= 299)).toBe(true);
    expect(values(lines, 'cache_hit').every((v) => v === 1)).toBe(true);
    expect(points(lines, 'e2e')[0]!.data.tags).toMatchObject({ stream: 'false', cache: 'exact', region: 'mars-1' });
  });

  it('charges a late start to its latency (measured from the intended start)', async () => {
    const spec = makeSpec('late', 20, '500ms', 50, [cls('plain', 'plain', 0)]);
    const out = join(dir, 'late.ndjson');
    // block the event loop for 200 ms shortly after the start: starts due meanwhile go out late
    setTimeout(() => {
      const until = performance.now() + 200;
      while (performance.now() < until);
    }, 20);
    const r = await runDriver({ spec, target: upstream.url, out });
    expect(r.requests).toBe(10);
    const lines = readLines(out);
    const byTime = (m: string): Map<string, number> => new Map(points(lines, m).map((p) => [p.data.time, p.data.value]));
    const lag = byTime('schedule_lag');
    const e2e = byTime('e2e');
    const dur = byTime('http_req_duration');
    expect(Math.max(...lag.values())).toBeGreaterThanOrEqual(100);
    // e2e = (actual − intended start) + service time; the lag was read a moment before the send
    for (const [time, l] of lag) {
      expect(e2e.get(time)! - dur.get(time)!).toBeGreaterThanOrEqual(l - 10);
    }
  });

  it('counts truncated streams, reset sockets and 5xx as failures with an error tag', async () => {
    const spec = makeSpec('broken', 20, '500ms', 50, [cls('cut', 'cut', 1), cls('reset', 'reset', 1), cls('boom', 'boom', 1)]);
    const out = join(dir, 'broken.ndjson');
    const r = await runDriver({ spec, target: upstream.url, out });
    expect(r).toMatchObject({ requests: 10, ok: 0, errors: 10 });
    const lines = readLines(out);
    const expected: Record<string, [string, string]> = { cut: ['truncated_stream', '200'], reset: ['truncated_stream', '200'], boom: ['http_5xx', '500'] };
    const seen = new Set<string>();
    for (const p of points(lines, 'http_req_failed')) {
      expect(p.data.value).toBe(1);
      const [error, status] = expected[p.data.tags.class!]!;
      expect(p.data.tags).toMatchObject({ error, status });
      seen.add(p.data.tags.class!);
    }
    expect(seen.size).toBe(3);
    expect(points(lines, 'e2e')).toHaveLength(0); // latency of successes only
  });

  it('tags connection failures with status 0 and error connect', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const spec = makeSpec('refused', 10, '200ms', 10, [cls('chat', 'sse', 1)]);
    const out = join(dir, 'refused.ndjson');
    const r = await runDriver({ spec, target: `http://127.0.0.1:${port}`, out });
    expect(r).toMatchObject({ requests: 2, errors: 2 });
    expect(points(readLines(out), 'http_reqs').map((p) => p.data.tags)).toEqual([
      expect.objectContaining({ status: '0', error: 'connect' }),
      expect.objectContaining({ status: '0', error: 'connect' }),
    ]);
  });

  it('stops early on the signal and on an abortOnFail threshold', async () => {
    const spec = makeSpec('stop', 10, '20s', 50, [cls('chat', 'sse', 1)]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await runDriver({ spec, target: upstream.url, out: join(dir, 'stop.ndjson'), signal: ac.signal });
    expect(r.aborted).toBe('signal');
    expect(r.durationMs).toBeLessThan(2000);
    expect(r.requests + r.interrupted).toBeLessThanOrEqual(4);

    const gated = makeSpec('gated', 10, '20s', 50, [cls('chat', 'sse', 1)], {
      thresholds: { e2e: [{ threshold: 'p(99)<1', abortOnFail: true }] },
    });
    const g = await runDriver({ spec: gated, target: upstream.url, out: join(dir, 'gated.ndjson') });
    expect(g.aborted).toBe('threshold');
    expect(g.durationMs).toBeLessThan(5000);
    expect(g.thresholds).toEqual([{ key: 'e2e', threshold: 'p(99)<1', ok: false, observed: expect.any(Number) }]);
  });

  it('a graceful stop starts nothing more and lets in-flight requests finish within the grace, cutting the rest', async () => {
    const slow = await startTestUpstream({ ttftMs: 80, itlMs: 10, contentChunks: 5, delayMs: 800 });
    try {
      const spec = makeSpec('graceful', 10, '20s', 50, [cls('chat', 'plain', 0)]);
      const stop = new AbortController();
      const stopAfterMs = 550;
      setTimeout(() => stop.abort(), stopAfterMs);
      const out = join(dir, 'graceful.ndjson');
      const r = await runDriver({ spec, target: slow.url, out, stop: stop.signal, stopGraceMs: 400 });
      expect(r.aborted).toBe('stop');
      // starts at 0, 100, … 500 ms: six, none after the stop
      expect(slow.requestIds.length).toBeLessThanOrEqual(7);
      // 800 ms each: the first ones end inside the 400 ms grace, the last ones cannot and are cut
      expect(r.ok).toBeGreaterThanOrEqual(1);
      expect(r.interrupted).toBeGreaterThanOrEqual(1);
      expect(r.ok + r.errors + r.interrupted).toBe(slow.requestIds.length);
      expect(r.durationMs).toBeLessThan(stopAfterMs + 400 + 1000);
      // every finished request has its samples; the cut ones have none, and the file ends on a whole line
      expect(points(readLines(out), 'http_reqs')).toHaveLength(r.requests);
      expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
