/**
 * The driver running realistic workloads: class headers on the wire, conversations resending the
 * answer they got, intent labels and false cache hits, residency, the closed model, segments that
 * split one spec across runners, live progress and the exit code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSampleLine, type PointLine } from '../scenarios/samples.js';
import { expectedIterations } from '../scenarios/schedule.js';
import { SpecSchema, type Spec } from '../scenarios/spec-schema.js';
import { mergeSegments } from './merge.js';
import type { Progress } from './progress.js';
import { driverExitCode, runDriver } from './run.js';
import { startTestUpstream, type TestUpstream } from './test-upstream.js';

let upstream: TestUpstream;
const dir = mkdtempSync(join(tmpdir(), 'stormlab-driver-wl-'));
beforeAll(async () => {
  upstream = await startTestUpstream({ ttftMs: 20, itlMs: 5, contentChunks: 3, delayMs: 20 });
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

const size = { promptTokens: { dist: 'constant', value: 30 }, maxTokens: { dist: 'constant', value: 5 } };

function makeSpec(name: string, arrival: Record<string, unknown>, classes: unknown[], extra: Record<string, unknown> = {}): Spec {
  return SpecSchema.parse({ name, arrival, workload: { seed: 9, classes }, timeout: '5s', ...extra });
}

function points(file: string, metric?: string): PointLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => parseSampleLine(l))
    .flatMap((p) => (p.ok && p.line.type === 'Point' && (!metric || p.line.metric === metric) ? [p.line] : []));
}

describe('class identity on the wire', () => {
  it('sends tenant, key, feature, tier, priority and residency headers, and tags samples with them', async () => {
    const spec = makeSpec('who', { executor: 'constant-arrival-rate', rate: 20, duration: '300ms' }, [
      { name: 'vip', model: 'plain', streamRatio: 0, tenant: 'acme', apiKey: 'sk-acme', feature: 'chat', tier: 'pro', priority: 'interactive', residency: { zone: 'mars', regions: ['mars-1'] }, headers: { 'x-extra': 'yes' }, ...size },
    ]);
    const out = join(dir, 'who.ndjson');
    await runDriver({ spec, target: upstream.url, out, headers: { authorization: 'Bearer target-key', 'x-target': 't' } });
    const got = upstream.received.filter((r) => r.id.startsWith('who-'));
    expect(got).toHaveLength(6);
    expect(got[0]!.headers).toMatchObject({
      authorization: 'Bearer sk-acme', // the class key wins over the target's
      'x-target': 't',
      'x-stormlab-tenant': 'acme',
      'x-stormlab-feature': 'chat',
      'x-stormlab-tier': 'pro',
      'x-stormlab-priority': 'interactive',
      'x-stormlab-residency': 'mars',
      'x-extra': 'yes',
    });
    const e2e = points(out, 'e2e');
    expect(e2e[0]!.data.tags).toMatchObject({ tenant: 'acme', feature: 'chat', tier: 'pro', priority: 'interactive', residency: 'mars' });
    // served from mars-1 (the upstream's fingerprint): inside the allowed regions
    expect(points(out, 'residency_violation').map((p) => p.data.value)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('conversations', () => {
  it('runs the turns in order, each resending the history with the answer actually received', async () => {
    const spec = makeSpec('conv', { executor: 'constant-arrival-rate', rate: 10, duration: '200ms' }, [
      { name: 'chat', model: 'sse', streamRatio: 1, ...size, conversation: { turns: { dist: 'constant', value: 3 }, thinkTimeMs: { dist: 'constant', value: 30 } } },
    ]);
    const out = join(dir, 'conv.ndjson');
    const r = await runDriver({ spec, target: upstream.url, out });
    expect(r).toMatchObject({ requests: 6, ok: 6, errors: 0 });
    const got = upstream.received.filter((x) => x.id.startsWith('conv-'));
    expect(got.map((x) => x.id).sort()).toEqual(['conv-0', 'conv-0.1', 'conv-0.2', 'conv-1', 'conv-1.1', 'conv-1.2']);
    const third = got.find((x) => x.id === 'conv-1.2')!;
    expect(third.headers['x-stormlab-conversation']).toBe('conv-1');
    expect(third.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(third.body.messages[2]!.content).toBe('tok0 tok1 tok2 '); // what the stream said
    const second = got.find((x) => x.id === 'conv-1.1')!;
    expect(third.body.messages.slice(0, 4)).toEqual(second.body.messages);
    expect(points(out, 'http_reqs').map((p) => p.data.tags.turn).sort()).toEqual(['0', '0', '1', '1', '2', '2']);
  });
});

describe('intent labels and false cache hits', () => {
  it('counts a reused answer as a false hit when its source request had another intent', async () => {
    const spec = makeSpec('intents', { executor: 'constant-arrival-rate', rate: 40, duration: '500ms' }, [
      {
        name: 'faq',
        model: 'plain',
        streamRatio: 0,
        headers: { 'x-test-cache-source': 'intents-0' }, // the upstream says every answer came from request 0
        prompt: { source: 'families', families: ['cancel'], zipf: 0, canonicalShare: 1 },
        maxTokens: { dist: 'constant', value: 5 },
      },
    ]);
    const out = join(dir, 'intents.ndjson');
    await runDriver({ spec, target: upstream.url, out });
    const hits = points(out, 'cache_false_hit');
    expect(hits).toHaveLength(20);
    const intents = new Set(hits.map((p) => p.data.tags.intent));
    expect(intents).toEqual(new Set(['cancel_subscription', 'cancel_order']));
    const first = points(out, 'http_reqs').find((p) => Date.parse(p.data.time) === Math.min(...points(out, 'http_reqs').map((q) => Date.parse(q.data.time))))!;
    for (const p of hits) expect(p.data.value).toBe(p.data.tags.intent === first.data.tags.intent ? 0 : 1);
  });
});

describe('closed model', () => {
  it('constant-vus runs N back-to-back loops for the duration, with unique iteration indices', async () => {
    const spec = makeSpec('closed', { executor: 'constant-vus', vus: 3, duration: '400ms' }, [{ name: 'p', model: 'plain', streamRatio: 0, ...size }]);
    const out = join(dir, 'closed.ndjson');
    const progress: Progress[] = [];
    const r = await runDriver({ spec, target: upstream.url, out, onProgress: (p) => progress.push(p) });
    expect(r.model).toBe('closed');
    expect(r.dropped).toBe(0);
    // ~20 ms per request, 3 loops, 400 ms: about 60, never more than 3 at once
    expect(r.requests).toBeGreaterThan(15);
    expect(r.requests).toBeLessThan(70);
    expect(points(out, 'schedule_lag')).toHaveLength(0);
    const ids = upstream.received.filter((x) => x.id.startsWith('closed-')).map((x) => Number(x.id.slice(7)));
    expect(new Set(ids).size).toBe(ids.length); // indices j·vus + v never collide
  });
});

describe('segments', () => {
  it('three runners split one schedule: disjoint, complete, and their outputs merge', async () => {
    const spec = makeSpec('split', { executor: 'constant-arrival-rate', rate: 60, duration: '500ms' }, [{ name: 'p', model: 'plain', streamRatio: 0, ...size }], {
      thresholds: { e2e: ['p(50)<5000'], http_reqs: ['count==30'] },
    });
    const files = [0, 1, 2].map((i) => join(dir, `split-${i}.ndjson`));
    const segs = ['0:1/3', '1/3:2/3', { index: 2, count: 3 }] as const;
    const results = await Promise.all(segs.map((segment, i) => runDriver({ spec, target: upstream.url, out: files[i]!, segment })));
    expect(results.map((r) => r.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:3/3']);
    const ids = upstream.received.filter((x) => x.id.startsWith('split-')).map((x) => x.id);
    expect(ids).toHaveLength(expectedIterations(spec.arrival));
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `split-${i}`)));
    for (const r of results) expect(r.requests).toBeGreaterThanOrEqual(8);
    // a single segment fails the whole-run count threshold, the merge passes it
    expect(results.every((r) => driverExitCode(r) === 99)).toBe(true);
    const merged = join(dir, 'split-merged.ndjson');
    const m = await mergeSegments(spec, files, merged);
    expect(m).toMatchObject({ requests: 30, ok: 30, errors: 0, dropped: 0 });
    expect(m.thresholds.every((t) => t.ok)).toBe(true);
    expect(points(merged, 'http_reqs')).toHaveLength(30);
    const metricLines = readFileSync(merged, 'utf8').split('\n').filter((l) => l.includes('"type":"Metric"'));
    expect(new Set(metricLines.map((l) => (JSON.parse(l) as { metric: string }).metric)).size).toBe(metricLines.length);
  });
});

describe('live progress', () => {
  it('draws on a TTY only, and always reports to onProgress', async () => {
    const spec = makeSpec('prog', { executor: 'constant-arrival-rate', rate: 20, duration: '1200ms' }, [{ name: 'c', model: 'sse', streamRatio: 1, ...size }]);
    const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    let drawn = '';
    (tty as unknown as PassThrough).on('data', (c: Buffer) => (drawn += c.toString()));
    const seen: Progress[] = [];
    await runDriver({ spec, target: upstream.url, out: join(dir, 'prog.ndjson'), progress: true, progressStream: tty, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.rate).toBeGreaterThan(10);
    expect(seen[0]!.ok).toBeGreaterThan(5);
    expect(seen[0]!.p99E2eMs).toBeGreaterThan(20);
    expect(drawn).toMatch(/stormlab \d+\.\ds {2}rate [\d.]+\/s {2}in-flight \d+ {2}ok \d+ {2}errors 0 {2}dropped 0 {2}p99 e2e \d+ms ttft \d+ms/);

    const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let quiet = '';
    (pipe as unknown as PassThrough).on('data', (c: Buffer) => (quiet += c.toString()));
    await runDriver({ spec: { ...spec, name: 'prog2' }, target: upstream.url, out: join(dir, 'prog2.ndjson'), progressStream: pipe });
    expect(quiet).toBe('');
  });
});
