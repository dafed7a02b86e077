import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { craftedRun, ledgerLine, T0 } from './fixtures/requests.js';
import { writeSyntheticRun } from './fixtures/synthetic-run.js';
import { buildMergedReport, buildReport } from './build.js';
import { SummarySchema } from './summary-schema.js';

function runDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-report-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const runJson = JSON.stringify({
  spec: 'baseline',
  driver: 'native',
  ttftDefinition: 'first-content-chunk',
  target: 'http://127.0.0.1:4010',
  seed: 42,
  startedAt: new Date(T0).toISOString(),
  endedAt: new Date(T0 + 5000).toISOString(),
  thresholds: { 'ttft{class:chat}': ['p(99)<150'], http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: false }] },
  gatewayConfig: 'default', // fields the report does not read are fine
});

describe('buildReport', () => {
  it('writes summary.json (valid against the schema) and summary.md from a run directory', async () => {
    const ledger = [ledgerLine('openai/us-east', 200, 0.01), ledgerLine('anthropic/eu-west', 200, 0.01)];
    const dir = runDir({
      'samples.ndjson': `${craftedRun().lines.join('\n')}\n`,
      'ledger.ndjson': `${ledger.join('\n')}\n`,
      'run.json': runJson,
    });
    const { summary, files } = await buildReport(dir);
    expect(files).toEqual({
      json: join(dir, 'summary.json'),
      md: join(dir, 'summary.md'),
      html: join(dir, 'index.html'),
      hlogs: ['ttft', 'e2e', 'itl'].map((m) => join(dir, `${m}.hlog`)),
    });

    const json = SummarySchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
    expect(json).toEqual(summary);
    expect(json.run).toMatchObject({ spec: 'baseline', driver: 'native', durationS: 5 });
    expect(json.totals).toMatchObject({ requests: 20, errors: 5, dropped: 4 });
    expect(json.cost).toMatchObject({ totalUsd: 0.02, ledgerUsd: 0.02, differenceUsd: 0 });
    expect(json.thresholds.map((t) => [t.key, t.ok])).toEqual([
      ['ttft{class:chat}', false],
      ['http_req_failed', true],
    ]);
    expect(json.timeseries).toHaveLength(5);

    const md = readFileSync(files.md, 'utf8');
    expect(md).toContain('## stormlab · baseline — ✗ 1 of 2 thresholds crossed');
    expect(md).toContain('✓ equal to the cent');
  });

  it('builds from samples alone (no ledger, no run.json)', async () => {
    const dir = runDir({ 'samples.ndjson': craftedRun().lines.join('\n') });
    const { summary } = await buildReport(dir);
    expect(summary.run.spec).toBeNull();
    expect(summary.run.startedAt).toBe(new Date(T0).toISOString());
    expect(summary.upstream).toBeNull();
    expect(summary.cost.ledgerUsd).toBeNull();
    expect(summary.thresholds).toEqual([]);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('TTFT definition not recorded');
  });

  it('a run directory without samples is a clear error', async () => {
    const dir = runDir({ 'run.json': runJson });
    await expect(buildReport(dir)).rejects.toMatchObject({
      code: 'SL_RUN_INCOMPLETE',
      message: expect.stringContaining('has no samples.ndjson'),
      details: [{ file: join(dir, 'samples.ndjson') }],
    });
    await expect(buildReport(join(dir, 'nope'))).rejects.toMatchObject({ code: 'SL_CONFIG_NOT_FOUND' });
  });

  it('a broken run.json names the file and the field', async () => {
    const dir = runDir({ 'samples.ndjson': '', 'run.json': JSON.stringify({ driver: 'locust', startedAt: 'noon' }) });
    await expect(buildReport(dir)).rejects.toMatchObject({
      code: 'SL_CONFIG_INVALID',
      details: expect.arrayContaining([
        expect.objectContaining({ file: join(dir, 'run.json'), path: 'driver' }),
        expect.objectContaining({ file: join(dir, 'run.json'), path: 'startedAt' }),
      ]),
    });
    const bad = runDir({ 'samples.ndjson': '', 'run.json': JSON.stringify({ thresholds: { ttft: ['p99 < 3s'] } }) });
    await expect(buildReport(bad)).rejects.toMatchObject({ code: 'SL_CONFIG_INVALID', details: [{ path: 'thresholds.ttft' }] });
  });

  it('writes a self-contained index.html: Chart.js inlined, the data embedded, nothing fetched', async () => {
    const dir = writeSyntheticRun(mkdtempSync(join(tmpdir(), 'stormlab-report-')), { chaos: true });
    const { files } = await buildReport(dir);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('Chart.js v4');
    expect(html).toContain('id="stormlab-charts"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toContain('sourceMappingURL');
    for (const id of ['chart-latency', 'chart-timeline', 'chart-by-provider', 'chart-cost', 'chart-cache']) expect(html).toContain(`id="${id}"`);
  });

  it('reconciles with the ledger, explains failed attempts, estimates what the cache saved, reads chaos and metrics', async () => {
    const dir = writeSyntheticRun(mkdtempSync(join(tmpdir(), 'stormlab-report-')), { chaos: true, errorRate: 0 });
    writeFileSync(join(dir, 'ledger.ndjson'), `${readFileSync(join(dir, 'ledger.ndjson'), 'utf8')}${ledgerLine('openai/us-east', 200, 0.02, { outcome: 'error' })}\n`);
    const { summary: s } = await buildReport(dir);
    expect(s.cost.ledgerUsd).toBeCloseTo(s.cost.totalUsd + 0.02, 9);
    expect(s.cost).toMatchObject({ failedAttemptsUsd: 0.02, unexplainedUsd: 0 });
    expect(s.cost.savedByCache.requests).toBe(s.cache.hits);
    expect(s.cost.savedByCache.usd).toBeGreaterThan(0);
    expect(s.cost.savedByCache.basis).toContain('gateway.json');
    expect(s.chaos?.events.map((e) => [e.t, e.event, e.fault])).toEqual([
      [4, 'start', 'outage'],
      [6, 'stop', 'outage'],
    ]);
    expect(s.gateway).toMatchObject({ requests: 400, failovers: 3 });
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('✓ = requests + $0.02 spent on failed attempts');
  });

  it('merges several runners (run directories and bare sample files) into one report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stormlab-merge-'));
    const a = writeSyntheticRun(join(root, 'runner-1'), { seed: 1, requests: 200 });
    const b = writeSyntheticRun(join(root, 'runner-2'), { seed: 2, requests: 300 });
    const one = (await buildReport(a)).summary;
    const two = (await buildReport(b)).summary;
    const { summary, files } = await buildMergedReport([a, join(b, 'samples.ndjson')], join(root, 'merged'));
    expect(summary.totals.requests).toBe(500);
    expect(summary.ingest.sources.map((x) => [x.name, x.badLines])).toEqual([
      ['runner-1/samples.ndjson', 0],
      ['runner-2/samples.ndjson', 0],
    ]);
    expect(summary.latency.ttft_ms.count).toBe(one.latency.ttft_ms.count + two.latency.ttft_ms.count);
    expect(summary.upstream?.calls).toBe(one.upstream?.calls); // b given as a bare file: its ledger is not read
    expect(files.json).toBe(join(root, 'merged', 'summary.json'));
    await expect(buildMergedReport([], root)).rejects.toMatchObject({ code: 'SL_USAGE' });
  });
});

