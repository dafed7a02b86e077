import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { craftedRun, T0 } from './fixtures/requests.js';
import { ingestSamples } from './ingest.js';
import { SUMMARY_JSON_SCHEMA_FILE, summaryJsonSchemaText } from './json-schema.js';
import { parseSummary, readSummaryFile } from './summary-read.js';
import { summarize } from './summarize.js';

async function current() {
  return summarize(await ingestSamples(craftedRun().lines, { startMs: T0 }));
}

/** A version 1 summary: what the Foundation wrote (no curves, false hits, failed-attempt or saved-by-cache figures, chaos, gateway). */
function asV1(s: Awaited<ReturnType<typeof current>>): Record<string, unknown> {
  const { distributions: _d, chaos: _c, gateway: _g, quality: _q, ...rest } = s;
  const { falseHits: _f, falseHitChecked: _fc, falseHitRate: _fr, ...cache } = s.cache;
  const { failedAttemptsUsd: _fa, unexplainedUsd: _u, gatewayUsd: _gu, savedByCache: _s, perRequestSdUsd: _sd, ...cost } = s.cost;
  const { sources: _src, ...ingest } = s.ingest;
  return { ...rest, version: 1, cache, cost, ingest };
}

describe('summary.json JSON Schema', () => {
  it('docs/summary.schema.json is what the zod schema generates (regenerate: npx tsx reports/json-schema.ts --write)', () => {
    expect(readFileSync(SUMMARY_JSON_SCHEMA_FILE, 'utf8')).toBe(summaryJsonSchemaText());
  });
});

describe('reading summary.json back', () => {
  it('reads the current version as written', async () => {
    const s = await current();
    expect(parseSummary(JSON.parse(JSON.stringify(s)), 'summary.json')).toEqual(s);
  });

  it('upgrades a version 1 summary: the new figures read as unknown, never as zero', async () => {
    const s = await current();
    const up = parseSummary(asV1(s), 'old/summary.json');
    expect(up.version).toBe(3);
    expect(up.run.interrupted).toBeNull();
    expect(up.quality).toBeNull();
    expect(up.latency).toEqual(s.latency);
    expect(up.distributions).toEqual({ ttft_ms: [], e2e_ms: [], itl_ms: [] });
    expect(up.cache).toMatchObject({ hits: s.cache.hits, falseHits: null, falseHitRate: null });
    expect(up.cost).toMatchObject({ totalUsd: s.cost.totalUsd, failedAttemptsUsd: null, perRequestSdUsd: null, savedByCache: { usd: null } });
    expect(up.chaos).toBeNull();
  });

  it('upgrades a version 2 summary: the run reads as not interrupted, no answer quality', async () => {
    const s = await current();
    const { interrupted: _i, ...run } = s.run;
    const { quality: _q, ...rest } = s;
    const up = parseSummary({ ...rest, version: 2, run }, 'v2/summary.json');
    expect(up).toEqual({ ...s, run: { ...s.run, interrupted: null }, quality: null });
    expect(() => parseSummary({ ...rest, version: 2 }, 'v2/summary.json')).not.toThrow();
  });

  it('bad files are clear errors naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-summary-'));
    const bad = join(dir, 'summary.json');
    writeFileSync(bad, JSON.stringify({ version: 2, totals: {} }));
    expect(() => readSummaryFile(bad)).toThrow(expect.objectContaining({ code: 'SL_CONFIG_INVALID', details: expect.arrayContaining([expect.objectContaining({ file: bad })]) }));
    writeFileSync(bad, '{"version": 2,');
    expect(() => readSummaryFile(bad)).toThrow(expect.objectContaining({ code: 'SL_CONFIG_PARSE' }));
    writeFileSync(bad, JSON.stringify({ version: 9 }));
    expect(() => readSummaryFile(bad)).toThrow(expect.objectContaining({ code: 'SL_CONFIG_INVALID', message: expect.stringContaining('version 9') }));
    expect(() => readSummaryFile(join(dir, 'nope.json'))).toThrow(expect.objectContaining({ code: 'SL_CONFIG_NOT_FOUND' }));
  });
});
