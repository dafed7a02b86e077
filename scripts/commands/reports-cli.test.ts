import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../../reports/fixtures/synthetic-run.js';
import { cli } from '../../test/helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'stormlab-gate-cli-'));
const dir = (name: string) => join(root, name);

beforeAll(() => {
  writeSyntheticRun(dir('base'), { seed: 1, requests: 300 });
  writeSyntheticRun(dir('rerun'), { seed: 1, requests: 300 });
  writeSyntheticRun(dir('nocache'), { seed: 1, requests: 300, cacheHitRate: 0 });
});

describe('stormlab gate', () => {
  it('exits 0 on an identical rerun', async () => {
    const r = await cli('gate', '--baseline', dir('base'), '--current', dir('rerun'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## stormlab gate — ✓ pass');
  });

  it('exits 1 on an injected regression and writes a verdict naming the metric', async () => {
    const out = join(root, 'verdict.md');
    const r = await cli('gate', '--baseline', join(dir('base'), 'summary.json'), '--current', dir('nocache'), '--out', out);
    expect(r.code).toBe(1);
    const verdict = readFileSync(out, 'utf8');
    expect(verdict).toContain('✗ regression: cost per 1k requests, cache hit rate');
    expect(verdict).toMatch(/✗ \*\*cost per 1k requests\*\* regressed/);
    expect(r.stdout).toContain('verdict: ');
  });

  it('exits 2 with a clear message when the baseline is missing, or the arguments are wrong', async () => {
    const missing = await cli('gate', '--baseline', dir('main'), '--current', dir('rerun'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error SL_CONFIG_NOT_FOUND: baseline');
    expect(missing.stderr).toContain(dir('main'));
    const none = await cli('gate', '--current', dir('rerun'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('needs a baseline');
    const stray = await cli('gate', dir('base'), dir('rerun'));
    expect(stray.code).toBe(2);
    const badRules = await cli('gate', '--baseline', dir('base'), '--current', dir('rerun'), '--rules', join(root, 'nope.yaml'));
    expect(badRules.code).toBe(2);
    expect(badRules.stderr).toContain('nope.yaml');
  });
});

describe('stormlab compare', () => {
  it('writes compare.html and compare.md', async () => {
    const out = join(root, 'cmp');
    const r = await cli('compare', dir('base'), dir('nocache'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compared base vs nocache');
    expect(existsSync(join(out, 'compare.html'))).toBe(true);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toContain('cache.enabled');
    expect((await cli('compare', dir('base'))).code).toBe(2);
  });
});

describe('stormlab report', () => {
  it('merges several runners into one report with --out, and merges interval logs', async () => {
    const out = join(root, 'merged');
    const r = await cli('report', dir('base'), dir('rerun'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('requests 600');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const hlog = join(root, 'ttft.hlog');
    const m = await cli('report', '--merge-hlog', hlog, join(dir('base'), 'ttft.hlog'), join(out, 'ttft.hlog'));
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/ttft: [\d,]+ values · p50/);
    expect(readFileSync(hlog, 'utf8')).toContain('Tag=ttft,');
    expect((await cli('report', dir('base'), dir('rerun'))).stderr).toContain('--out');
  });
});
