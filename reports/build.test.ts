import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { craftedRun, ledgerLine, T0 } from './fixtures/requests.js';
import { buildReport } from './build.js';
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
    expect(files).toEqual({ json: join(dir, 'summary.json'), md: join(dir, 'summary.md') });

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
});
