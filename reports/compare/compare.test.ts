import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../fixtures/synthetic-run.js';
import { diffJson } from './diff.js';
import { compareRuns, renderCompareMarkdown, writeComparison } from './index.js';

describe('diffJson', () => {
  it('lists changed, added and removed values by path; loopback ports are not differences', () => {
    const a = { arrival: { rate: 10, stages: [1, 2] }, upstreams: [{ url: 'http://127.0.0.1:4001/v1' }], cache: { on: true } };
    const b = { arrival: { rate: 20, stages: [1] }, upstreams: [{ url: 'http://127.0.0.1:5999/v1' }], extra: 'x' };
    expect(diffJson(a, b).differences).toEqual([
      { path: 'arrival.rate', a: '10', b: '20' },
      { path: 'arrival.stages[1]', a: '2', b: '(absent)' },
      { path: 'cache', a: '{"on":true}', b: '(absent)' },
      { path: 'extra', a: '(absent)', b: '"x"' },
    ]);
    const many = diffJson({ xs: Array.from({ length: 50 }, (_, i) => i) }, { xs: Array.from({ length: 50 }, (_, i) => -i - 1) }, 10);
    expect(many.differences).toHaveLength(10);
    expect(many.truncated).toBe(true);
  });
});

describe('compare', () => {
  const root = mkdtempSync(join(tmpdir(), 'stormlab-compare-'));
  const a = writeSyntheticRun(join(root, 'run-a'), { seed: 1, requests: 200, rate: 20, adequateShare: 0.9 });
  const b = writeSyntheticRun(join(root, 'run-b'), { seed: 2, requests: 200, rate: 40, addLatencyMs: 300, cacheHitRate: 0, adequateShare: 0.6 });

  it('lines up the figures with deltas against the first run and lists the config differences', async () => {
    const c = await compareRuns([a, b]);
    expect(c.runs.map((r) => r.name)).toEqual(['run-a', 'run-b']);
    const md = renderCompareMarkdown(c);
    expect(md).toContain('## stormlab compare · run-a vs run-b');
    expect(md).toMatch(/\| TTFT p99 \| [\d,.]+ ms \| [\d,.]+ ms \(\+\d+\.\d% ✗\) \|/);
    expect(md).toMatch(/\| cache hit rate \| [\d.]+% \| 0% \(−[\d.]+ pts ✗\) \|/);
    expect(md).toMatch(/\| adequate answers \| (8\d|9\d)\.\d\d% \| (5\d|6\d)\.\d\d% \(−[\d.]+ pts ✗\) \|/);
    expect(md).toContain('| `arrival.rate` | `20` | `40` |');
    expect(md).toContain('| `cache.enabled` | `true` | `false` |');
    expect(md).not.toContain('upstreams[0].url'); // a port is not a config difference
    expect(md).toContain('#### By provider');
  });

  it('writes compare.md and a self-contained compare.html; builds summaries it lacks; takes summary files too', async () => {
    const { files } = await writeComparison([a, join(b, 'summary.json'), a], join(root, 'out'));
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('chart-cmp-ttft');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(readFileSync(files.md, 'utf8')).toContain('run-a #1 vs run-b vs run-a #2');
  });

  it('needs two runs, and says which one is missing', async () => {
    await expect(compareRuns([a])).rejects.toMatchObject({ code: 'SL_USAGE' });
    await expect(compareRuns([a, join(root, 'nope')])).rejects.toMatchObject({ code: 'SL_CONFIG_NOT_FOUND', message: expect.stringContaining('nope') });
  });
});
