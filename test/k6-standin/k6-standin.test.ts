/**
 * The k6 bundle runs, not only type-checks: `stormlab bundle` builds a built-in spec's bundle,
 * the k6 stand-in (./standin.ts — a check of our bundle, not a driver) runs it for a few seconds
 * against the real lab, and `stormlab report` builds from its `--out json` samples a report with
 * the same metrics and tags as the native driver's run of the same spec.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriver } from '../../driver/index.js';
import type { Summary } from '../../reports/index.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import { METRICS, parseSampleLine } from '../../scenarios/samples.js';
import { cli } from '../helpers/cli.js';
import { LAB_AUTH, startDefaultLab, type DefaultLab } from '../helpers/gateway-lab.js';
import { startResetRelay } from './reset-relay.js';
import { runStandin, type StandinResult } from './standin.js';

const RUN_MS = 4000;
/** tags k6 itself puts on samples (system tags), which the native driver does not write */
const K6_SYSTEM_TAGS = new Set(['group', 'method', 'url', 'name', 'proto', 'expected_response', 'error_code', 'tls_version']);
const HTTP = ['http_reqs', 'http_req_failed', 'http_req_duration'];
/** the native driver's own (schedule_lag), and metrics written only when their case arises in the run */
const NOT_COMPARED = new Set(['schedule_lag', 'dropped_iterations', 'cache_false_hit', 'residency_violation']);

let dir: string;

interface SampleView {
  /** per metric of the sample contract: its points' tag keys */
  tagKeys: Map<string, Set<string>>;
  points: Array<{ metric: string; value: number; tags: Record<string, string>; metadata?: Record<string, string> }>;
}

function readSamples(file: string): SampleView {
  const view: SampleView = { tagKeys: new Map(), points: [] };
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text === '') continue;
    const parsed = parseSampleLine(text);
    if (!parsed.ok) throw new Error(`${file}: bad line (${parsed.reason}): ${text}`);
    const l = parsed.line;
    if (l.type !== 'Point') continue;
    const { value, tags, metadata } = l.data;
    view.points.push({ metric: l.metric, value, tags, ...(metadata ? { metadata } : {}) });
    if (!Object.hasOwn(METRICS, l.metric)) continue;
    const keys = view.tagKeys.get(l.metric) ?? new Set<string>();
    for (const k of Object.keys(l.data.tags)) keys.add(k);
    view.tagKeys.set(l.metric, keys);
  }
  return view;
}

/** `stormlab report <dir>`, as a user runs it on collected samples. */
async function report(runDir: string): Promise<Summary> {
  const r = await cli('report', runDir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
}

const sorted = (s: Iterable<string>) => [...s].sort();
const withoutSystem = (s: Set<string> | undefined) => sorted([...(s ?? [])].filter((k) => !K6_SYSTEM_TAGS.has(k)));

/** A fresh lab (fleet + gateway, an empty cache) in `dir/name`, closed after `fn`. */
async function withLab<T>(name: string, fn: (lab: DefaultLab, out: string) => Promise<T>): Promise<T> {
  const out = join(dir, name);
  mkdirSync(out);
  const lab = await startDefaultLab(out);
  try {
    return await fn(lab, out);
  } finally {
    await lab.close();
  }
}

/** `stormlab bundle` the spec, run it under the stand-in against `target`, `stormlab report` its samples. */
async function standinRun(spec: string, out: string, extra: string[], target: string): Promise<StandinRun> {
  const b = await cli('bundle', spec, '--out-dir', out, ...extra);
  expect(b.code, b.stderr).toBe(0);
  const res = await runStandin({
    bundle: join(out, `${spec}.js`),
    out: join(out, 'samples.ndjson'),
    env: { STORMLAB_TARGET: target, STORMLAB_HEADERS: JSON.stringify(LAB_AUTH) },
    durationMs: RUN_MS,
    maxVUs: 12,
  });
  return { res, view: readSamples(join(out, 'samples.ndjson')), summary: await report(out) };
}

interface StandinRun {
  res: StandinResult;
  view: SampleView;
  summary: Summary;
}

/** The native driver on the same spec, as long, on a fresh lab. */
interface NativeRun {
  view: SampleView;
  summary: Summary;
}

async function nativeRun(name: string): Promise<NativeRun> {
  return withLab(`native-${name}`, async (lab, out) => {
    const spec = applyOverrides(loadSpec(name).spec, { durationMs: RUN_MS });
    const r = await runDriver({ spec, target: lab.gateway.url, headers: { ...LAB_AUTH }, out: join(out, 'samples.ndjson') });
    expect(r.errors).toBe(0);
    return { view: readSamples(join(out, 'samples.ndjson')), summary: await report(out) };
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stormlab-k6-standin-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What every bundle run must show: the native run's metrics and tags, plausible counts, no errors. */
function expectLikeNative(spec: string, { res, view, summary }: StandinRun, native: NativeRun): void {
  expect(res.errors).toEqual([]);
  expect(res.interrupted).toBe(0);
  expect(res.iterations).toBeGreaterThan(5);
  // same metrics of the sample contract
  const contract = (v: SampleView) => sorted([...v.tagKeys.keys()].filter((m) => !NOT_COMPARED.has(m)));
  expect(contract(view)).toEqual(contract(native.view));
  // the custom metrics carry the same tags, beside k6's `group` (those written when their case arises: if both have them)
  for (const [m, keys] of native.view.tagKeys) {
    if (HTTP.includes(m) || m === 'schedule_lag' || !view.tagKeys.has(m)) continue;
    expect(withoutSystem(view.tagKeys.get(m)), m).toEqual(sorted(keys));
  }
  // k6's own request metrics carry the request's tags and status (provider/region/cache come from the custom metrics)
  for (const m of HTTP) {
    const keys = withoutSystem(view.tagKeys.get(m));
    expect(keys, m).toEqual(expect.arrayContaining(['scenario', 'class', 'model', 'stream', 'status']));
    expect(sorted(native.view.tagKeys.get(m) ?? []), m).toEqual(expect.arrayContaining(keys));
  }
  // every request is joined to its id (k6 metadata, set by exec.vu.metrics.metadata)
  const reqs = view.points.filter((p) => p.metric === 'http_reqs');
  expect(new Set(reqs.map((p) => p.metadata?.request_id)).size).toBe(reqs.length);
  const ids = reqs.map((p) => new RegExp(`^${spec}-(\\d+)(?:\\.\\d+)?$`).exec(p.metadata?.request_id ?? '')?.[1]);
  expect(ids.every((i) => i !== undefined)).toBe(true);
  expect(new Set(ids).size).toBe(res.iterations); // every iteration sent its request (or a conversation's turns)

  // the report: plausible counts, the same breakdowns as the native run's
  expect(summary.totals.requests).toBe(reqs.length);
  expect(summary.totals.errors).toBe(0);
  expect(summary.totals.dropped).toBe(res.dropped);
  expect(summary.latency.e2e_ms.count).toBe(summary.totals.requests);
  const streamed = reqs.filter((p) => p.tags.stream === 'true').length;
  expect(streamed).toBeGreaterThan(0);
  expect(summary.latency.ttft_ms.count).toBe(streamed); // ttft for every streamed request, none for the others
  expect(view.points.filter((p) => p.metric === 'ttft').every((p) => p.tags.stream === 'true')).toBe(true);
  expect(summary.latency.itl_ms.count).toBeGreaterThan(0);
  expect(summary.tokens.out).toBeGreaterThan(0);
  expect(summary.cost.totalUsd).toBeGreaterThan(0);
  expect(view.points.filter((p) => p.metric === 'cache_hit').length).toBe(summary.totals.requests);
  expect(sorted(Object.keys(summary.breakdowns.class))).toEqual(sorted(Object.keys(native.summary.breakdowns.class)));
  for (const dim of ['provider', 'region', 'model', 'cache'] as const) {
    const keys = Object.keys(summary.breakdowns[dim]);
    expect(keys.length, dim).toBeGreaterThan(0);
    expect(keys, dim).not.toContain('(none)');
  }
}

describe('the baseline bundle under the k6 stand-in, against the real lab', () => {
  let native: NativeRun;
  beforeAll(async () => {
    native = await nativeRun('baseline');
  }, 60_000);

  it('stock k6: imports k6, k6/http, k6/metrics, k6/execution; reports like the native run, TTFT as first byte', async () => {
    const run = await withLab('stock', (lab, out) => standinRun('baseline', out, [], lab.gateway.url));
    expect(sorted(run.res.imports)).toEqual(['k6', 'k6/execution', 'k6/http', 'k6/metrics']);
    expect(sorted(run.res.exports)).toEqual(['default', 'options']);
    expectLikeNative('baseline', run, native);
    expect(run.summary.run.ttftDefinition).toBe('first-byte');
    expect(native.summary.run.ttftDefinition).toBe('first-content-chunk');
  }, 90_000);

  it('with --sse: imports k6/x/sse too; reports like the native run, TTFT at the first content event', async () => {
    const run = await withLab('sse', (lab, out) => standinRun('baseline', out, ['--sse'], lab.gateway.url));
    const { res, view, summary } = run;
    expect(sorted(res.imports)).toEqual(['k6', 'k6/execution', 'k6/http', 'k6/metrics', 'k6/x/sse']);
    expectLikeNative('baseline', run, native);
    expect(summary.run.ttftDefinition).toBe('first-content-chunk');
    expect(view.points.some((p) => p.metric === 'sse_event')).toBe(true);
    // every request, streamed or not, has its http_req_failed point: the report's error rate covers them all
    const failed = view.points.filter((p) => p.metric === 'http_req_failed').length;
    expect(failed).toBe(summary.totals.requests);
  }, 90_000);

  it('with --sse, streams reset mid-way: one truncated_stream error each, no VU stuck in close()', async () => {
    await withLab('sse-reset', async (lab, out) => {
      const relay = await startResetRelay(lab.gateway.url);
      try {
        const { res, view, summary } = await standinRun('baseline', out, ['--sse'], relay.url);
        // the error handler closes once: a second close() while close() drains the broken body deadlocks xk6-sse
        expect(res.errors).toEqual([]);
        expect(res.interrupted).toBe(0);
        expect(relay.cuts).toBeGreaterThan(0);
        const failed = view.points.filter((p) => p.metric === 'http_req_failed' && p.value === 1);
        expect(failed.length).toBe(relay.cuts);
        expect(failed.every((p) => p.tags.error === 'truncated_stream' && p.tags.stream === 'true')).toBe(true);
        expect(summary.totals.errors).toBe(relay.cuts);
        expect(summary.errors).toEqual({ truncated_stream: relay.cuts });
        expect(summary.latency.e2e_ms.count).toBe(summary.totals.requests - relay.cuts);
      } finally {
        await relay.close();
      }
    });
  }, 90_000);
});

describe('the soak bundle (conversations, tenants, datasets, Poisson) under the k6 stand-in', () => {
  it('runs conversations turn by turn and reports like the native run', async () => {
    const native = await nativeRun('soak');
    const run = await withLab('soak', (lab, out) => standinRun('soak', out, [], lab.gateway.url));
    expectLikeNative('soak', run, native);
    const turns = run.view.points.filter((p) => p.metric === 'http_reqs' && /\.\d+$/.test(p.metadata?.request_id ?? ''));
    expect(turns.length).toBeGreaterThan(0); // later turns of conversations went out after their think time
    expect(run.res.console.some((l) => l.startsWith('warn: ') && l.includes('no Poisson executor'))).toBe(true);
  }, 120_000);
});
