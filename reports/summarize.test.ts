import { describe, expect, it } from 'vitest';
import { pointLine } from '../scenarios/samples.js';
import { craftedRun, ledgerLine, T0 } from './fixtures/requests.js';
import { ingestSamples } from './ingest.js';
import { ingestLedger } from './ledger.js';
import { RunMetaSchema } from './run-meta.js';
import { summarize } from './summarize.js';

/** HDR at 3 significant digits reports the top of a value's bucket: within 0.1% above it. */
const hdr = (ms: number) => expect.toSatisfy((v: number) => v >= ms && v <= ms * 1.001, `≈ ${ms} ms`);
import { SummarySchema } from './summary-schema.js';

const thresholds = {
  ttft: ['p(99)<3000'],
  'ttft{class:chat}': ['p(99)<150'],
  'e2e{provider:anthropic}': [{ threshold: 'avg<4000' }],
  http_req_failed: ['rate<0.01'],
  dropped_iterations: ['count<1'],
  http_reqs: ['rate>1'],
  'itl{class:summarize}': ['p(95)<100'],
};

const run = RunMetaSchema.parse({
  spec: 'crafted',
  driver: 'native',
  ttftDefinition: 'first-content-chunk',
  target: 'http://127.0.0.1:1234',
  seed: 42,
  startedAt: new Date(T0).toISOString(),
  endedAt: new Date(T0 + 5000).toISOString(),
  thresholds,
});

async function craftedSummary(ledgerLines?: string[]) {
  const agg = await ingestSamples(craftedRun().lines, { thresholds, startMs: T0 });
  const ledger = ledgerLines ? await ingestLedger(ledgerLines) : null;
  return SummarySchema.parse(summarize(agg, { run, ledger }));
}

describe('summarize', () => {
  it('totals: requests, ok, errors, dropped, rate, cost, tokens, cache, attempts', async () => {
    const s = await craftedSummary();
    expect(s.version).toBe(3);
    expect(s.run).toMatchObject({ spec: 'crafted', driver: 'native', ttftDefinition: 'first-content-chunk', seed: 42, durationS: 5 });
    expect(s.totals).toEqual({ requests: 20, ok: 15, errors: 5, dropped: 4, rps: 4, errorRate: 0.25 });
    expect(s.cost.totalUsd).toBe(0.02);
    expect(s.cost.per1kUsd).toBe(1);
    expect(s.cost.ledgerUsd).toBeNull();
    expect(s.tokens).toEqual({ in: 10 * 200 + 5 * 1000, out: 10 * 100 + 5 * 150 });
    expect(s.cache).toEqual({ lookups: 15, hits: 2, hitRate: 0.133333, falseHits: null, falseHitChecked: 0, falseHitRate: null });
    expect(s.attempts).toEqual({ mean: (10 + 10 + 9 + 2) / 20, max: 3, retried: 8 });
    expect(s.latency.ttft_ms).toMatchObject({ count: 15, min: 100, max: 300, p50: hdr(170), p99: 300 });
    expect(s.latency.itl_ms.count).toBe(20);
    expect(s.latency.queue_ms).toMatchObject({ count: 10, max: 0 });
    expect(s.latency.schedule_lag_ms).toMatchObject({ count: 0, p99: null });
  });

  it('run.ttftDefinition without run.json (k6 runners\' samples): the one their ttft points name; null when they differ', async () => {
    const ttft = (def: string, i: number) => pointLine('ttft', 100 + i, { class: 'chat', ttft_def: def }, T0 + i);
    const of = async (lines: string[]) => summarize(await ingestSamples(lines)).run.ttftDefinition;
    expect(await of([ttft('first-byte', 0), ttft('first-byte', 1)])).toBe('first-byte');
    expect(await of([ttft('first-content-chunk', 0)])).toBe('first-content-chunk');
    expect(await of([ttft('first-byte', 0), ttft('first-content-chunk', 1)])).toBeNull();
    expect(await of([pointLine('e2e', 100, { class: 'chat' }, T0)])).toBeNull();
  });

  it('run.interrupted: what a stopped, aborted or killed run covered next to its plan; null for a whole run', async () => {
    const agg = async () => ingestSamples(craftedRun().lines, { thresholds, startMs: T0 });
    expect((await craftedSummary()).run.interrupted).toBeNull();
    const at = new Date(T0 + 4000).toISOString();
    const planned = { durationMs: 20_000, requests: 80 };
    const stopped = summarize(await agg(), {
      run: { ...run, status: 'interrupted', planned, interrupted: { at, signal: 'SIGINT', cut: 3 } },
    });
    expect(SummarySchema.parse(stopped).run.interrupted).toEqual({
      how: 'stopped',
      at,
      signal: 'SIGINT',
      planned: { durationS: 20, requests: 80 },
      actual: { durationS: 5, requests: 20 },
      cut: 3,
    });
    const aborted = summarize(await agg(), { run: { ...run, status: 'aborted', planned, interrupted: { at, signal: 'SIGTERM', cut: null } } });
    expect(aborted.run.interrupted).toMatchObject({ how: 'aborted', signal: 'SIGTERM', cut: null });
    // the CLI died before it wrote the end: the run lasts until its last sample
    const { endedAt: _e, ...started } = run;
    const killed = summarize(await agg(), { run: { ...started, status: 'running', planned } });
    expect(killed.run.interrupted).toMatchObject({ how: 'killed', signal: null, at: killed.run.endedAt, cut: null });
    expect(killed.run.interrupted?.actual).toEqual({ durationS: killed.run.durationS, requests: 20 });
  });

  it('statuses and errors by tag', async () => {
    const s = await craftedSummary();
    expect(s.statuses).toEqual({ '200': 15, '429': 2, '503': 3 });
    expect(s.errors).toEqual({ upstream_exhausted: 3, rate_limited: 2 });
    expect(Object.keys(s.errors)).toEqual(['upstream_exhausted', 'rate_limited']); // most first
  });

  it('breaks requests down by provider, region, class, model and cache', async () => {
    const s = await craftedSummary();
    const noQueue = { queue_p50_ms: null, queue_p99_ms: null };
    expect(s.breakdowns.provider).toEqual({
      '(none)': { requests: 3, errors: 3, errorRate: 1, ttft_p50_ms: null, ttft_p99_ms: null, e2e_p50_ms: 50, e2e_p99_ms: 50, ...noQueue, costUsd: 0 },
      anthropic: { requests: 5, errors: 0, errorRate: 0, ttft_p50_ms: 300, ttft_p99_ms: 300, e2e_p50_ms: 3000, e2e_p99_ms: 3000, ...noQueue, costUsd: 0.01 },
      openai: {
        requests: 12,
        errors: 2,
        errorRate: 0.166667,
        ttft_p50_ms: hdr(140),
        ttft_p99_ms: 190,
        e2e_p50_ms: hdr(1300),
        e2e_p99_ms: 1900,
        queue_p50_ms: 0,
        queue_p99_ms: 0,
        costUsd: 0.01,
      },
    });
    expect(Object.keys(s.breakdowns.region)).toEqual(['(none)', 'eu-west', 'us-east']);
    expect(s.breakdowns.region['us-east']).toMatchObject({ requests: 12, errors: 2 });
    expect(s.breakdowns.class.chat).toMatchObject({ requests: 15, errors: 5, errorRate: 0.333333, ttft_p99_ms: 190 });
    expect(s.breakdowns.class.summarize).toMatchObject({ requests: 5, errors: 0, e2e_p99_ms: 3000 });
    expect(s.breakdowns.model).toEqual({ 'gpt-4.1-mini': expect.objectContaining({ requests: 20, errors: 5 }) });
    expect(s.breakdowns.cache).toMatchObject({ exact: { requests: 2 }, miss: { requests: 13 }, '(none)': { requests: 5 } });
  });

  it("the gateway's pacing-queue wait (queue_ms) per class and priority", async () => {
    const at = (i: number) => T0 + 10 * i;
    const lines = [...Array(100).keys()].flatMap((i) => {
      const batch = i % 5 !== 0;
      const tags = { scenario: 'p', class: batch ? 'batch' : 'interactive', priority: batch ? 'batch' : 'interactive', status: '200' };
      return [pointLine('http_reqs', 1, tags, at(i)), pointLine('queue_ms', batch ? 100 * i : 0, tags, at(i))];
    });
    const s = summarize(await ingestSamples(lines));
    expect(s.breakdowns.class.interactive).toMatchObject({ requests: 20, queue_p50_ms: 0, queue_p99_ms: 0 });
    expect(s.breakdowns.class.batch).toMatchObject({ requests: 80, queue_p50_ms: hdr(4900), queue_p99_ms: hdr(9900) });
    expect(s.latency.queue_ms).toMatchObject({ count: 100, max: hdr(9900) });
  });

  it('counts requests per group from e2e points when http_reqs lack the tag (stock k6)', async () => {
    // k6 tags http_reqs before the response, so provider/region only reach the custom metrics
    const tags = { class: 'chat', status: '200' };
    const lines = [
      pointLine('http_reqs', 1, tags, T0),
      pointLine('http_req_failed', 0, tags, T0),
      pointLine('e2e', 900, { ...tags, provider: 'openai', region: 'us-east' }, T0),
      pointLine('http_reqs', 1, { ...tags, status: '502' }, T0 + 1),
      pointLine('http_req_failed', 1, { ...tags, status: '502' }, T0 + 1),
      pointLine('e2e', 30, { ...tags, status: '502', provider: 'mistral', region: 'eu-west', error: 'bad_gateway' }, T0 + 1),
    ];
    const s = summarize(await ingestSamples(lines));
    expect(s.breakdowns.provider).toMatchObject({ openai: { requests: 1, errors: 0 }, mistral: { requests: 1, errors: 1 } });
    expect(s.breakdowns.class).toMatchObject({ chat: { requests: 2, errors: 1 } });
  });

  it('evaluates thresholds like k6, tag-filtered ones included', async () => {
    const s = await craftedSummary();
    expect(s.thresholds).toEqual([
      { key: 'ttft', threshold: 'p(99)<3000', ok: true, observed: 300 },
      { key: 'ttft{class:chat}', threshold: 'p(99)<150', ok: false, observed: 190 },
      { key: 'e2e{provider:anthropic}', threshold: 'avg<4000', ok: true, observed: 3000 },
      { key: 'http_req_failed', threshold: 'rate<0.01', ok: false, observed: 0.25 },
      { key: 'dropped_iterations', threshold: 'count<1', ok: false, observed: 4 },
      { key: 'http_reqs', threshold: 'rate>1', ok: true, observed: 4 },
      // summarize requests stream no tokens: no samples fails the threshold, as in k6
      { key: 'itl{class:summarize}', threshold: 'p(95)<100', ok: false, observed: null },
    ]);
  });

  it('reconciles cost with the ledger: equal to the cent', async () => {
    const ledger = [
      ...Array.from({ length: 10 }, () => ledgerLine('openai/us-east', 200, 0.001)),
      ...Array.from({ length: 5 }, () => ledgerLine('anthropic/eu-west', 200, 0.002)),
      ...Array.from({ length: 2 }, () => ledgerLine('openai/us-east', 429, 0)),
    ];
    const s = await craftedSummary(ledger);
    expect(s.cost.ledgerUsd).toBe(0.02);
    expect(s.cost.differenceUsd).toBe(0);
    expect(s.upstream).toMatchObject({
      calls: 17,
      costUsd: 0.02,
      badLines: 0,
      byEndpoint: {
        'anthropic/eu-west': { calls: 5, ok: 5, errors: 0, statuses: { '200': 5 }, costUsd: 0.01 },
        'openai/us-east': { calls: 12, ok: 10, errors: 2, statuses: { '200': 10, '429': 2 }, costUsd: 0.01 },
      },
    });
  });

  it('shows the difference when the ledger billed more (retries cost money too)', async () => {
    const ledger = [
      ...Array.from({ length: 10 }, () => ledgerLine('openai/us-east', 200, 0.001)),
      ...Array.from({ length: 5 }, () => ledgerLine('anthropic/eu-west', 200, 0.002)),
      ledgerLine('anthropic/eu-west', 200, 0.0375, { outcome: 'broken-stream' }),
      'not json',
      JSON.stringify({ endpoint: 'x/y' }),
    ];
    const s = await craftedSummary(ledger);
    expect(s.cost.ledgerUsd).toBe(0.0575);
    expect(s.cost.differenceUsd).toBe(0.0375);
    expect(s.upstream?.badLines).toBe(2);
    expect(s.upstream?.byEndpoint['anthropic/eu-west']).toMatchObject({ calls: 6, ok: 5, errors: 1 });
  });

  it('builds a per-second series from the run start, gaps filled', async () => {
    const s = await craftedSummary();
    expect(s.timeseries.map((r) => r.t)).toEqual([0, 1, 2, 3, 4]);
    expect(s.timeseries.map((r) => r.requests)).toEqual([4, 4, 4, 4, 4]);
    expect(s.timeseries.map((r) => r.errors)).toEqual([0, 0, 0, 1, 4]);
    expect(s.timeseries.map((r) => r.dropped)).toEqual([0, 0, 4, 0, 0]);
    expect(s.timeseries[0]).toMatchObject({ ttft_p50_ms: hdr(110), ttft_p99_ms: 130, e2e_p99_ms: 1300 });
    expect(s.timeseries[4]).toMatchObject({ ttft_p99_ms: null, e2e_p50_ms: hdr(20) });

    const gap = summarize(
      await ingestSamples([pointLine('http_reqs', 1, {}, T0 + 500), pointLine('http_reqs', 1, {}, T0 + 3500)]),
    ).timeseries;
    expect(gap.map((r) => [r.t, r.requests])).toEqual([[0, 1], [1, 0], [2, 0], [3, 1]]);
  });

  it('reports nothing as null, not zero, for an empty input', async () => {
    const s = SummarySchema.parse(summarize(await ingestSamples([])));
    expect(s.totals).toEqual({ requests: 0, ok: 0, errors: 0, dropped: 0, rps: null, errorRate: null });
    expect(s.latency.ttft_ms.p99).toBeNull();
    expect(s.cache.hitRate).toBeNull();
    expect(s.cost.per1kUsd).toBeNull();
    expect(s.run.spec).toBeNull();
    expect(s.timeseries).toEqual([]);
    expect(s.breakdowns.provider).toEqual({});
  });
});
