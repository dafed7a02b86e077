import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../build.js';
import { writeSyntheticRun } from '../fixtures/synthetic-run.js';
import {
  compareStrategies,
  recommend,
  StrategyComparisonSchema,
  writeStrategyComparison,
  type StrategyRow,
} from './index.js';

function row(
  name: string,
  o: { cost: number; ttftP99: number; share: number | null; ok?: boolean; interrupted?: boolean },
): StrategyRow {
  const quality =
    o.share === null ? null : { judged: 100, adequate: Math.round(o.share * 100), unjudged: 0, share: o.share };
  return {
    name,
    config: `${name}.yaml`,
    runDir: `/runs/${name}`,
    interrupted: o.interrupted ?? false,
    thresholdsOk: o.ok ?? true,
    requests: 100,
    errors: 0,
    errorRate: 0,
    ttft_p50_ms: o.ttftP99 / 2,
    ttft_p99_ms: o.ttftP99,
    costPer1kUsd: o.cost,
    costBasis: 'ledger',
    cacheHitRate: null,
    failovers: 0,
    failoverRate: 0,
    providerShare: {},
    quality,
    qualityByClass: {},
    qualityByModel: {},
  };
}

describe('the recommendation', () => {
  it('names the cheapest config within the thresholds against the first, with its trade-off', () => {
    const rec = recommend([
      row('priority', { cost: 1, ttftP99: 800, share: 0.7 }),
      row('least-cost', { cost: 0.59, ttftP99: 920, share: 0.64 }),
      row('frontier', { cost: 3, ttftP99: 900, share: 0.9 }),
    ]);
    expect(rec.pick).toBe('least-cost');
    expect(rec.text).toBe('least-cost saves 41 % against priority at +120 ms p99 TTFT and \u22126 points of quality');
    expect(rec.savingPct).toBeCloseTo(41);
    expect(rec.qualityDeltaPoints).toBeCloseTo(-6);
  });

  it('passes over configs that crossed a threshold, were interrupted, or fell under the quality floor', () => {
    const rows = [
      row('priority', { cost: 1, ttftP99: 800, share: 0.7 }),
      row('slow', { cost: 0.2, ttftP99: 5000, share: 0.7, ok: false }),
      row('cut', { cost: 0.3, ttftP99: 700, share: 0.7, interrupted: true }),
      row('cheap-only', { cost: 0.25, ttftP99: 600, share: 0.4 }),
      row('weighted', { cost: 0.8, ttftP99: 750, share: 0.68 }),
    ];
    expect(recommend(rows).pick).toBe('weighted');
    // a floor of 40 points lets the cheap config through
    expect(recommend(rows, 40).pick).toBe('cheap-only');
  });

  it('keeps the baseline when nothing eligible is cheaper, and says what the next one costs', () => {
    const rec = recommend([
      row('priority', { cost: 1, ttftP99: 800, share: 0.7 }),
      row('frontier', { cost: 2.5, ttftP99: 780, share: 0.9 }),
    ]);
    expect(rec.pick).toBe('priority');
    expect(rec.text).toBe(
      'keep priority: no config that met the thresholds is cheaper (next, frontier, costs 150 % more than priority ' +
        'at \u221220.0 ms p99 TTFT and +20 points of quality)',
    );
  });

  it('says so when no config met the thresholds', () => {
    const rec = recommend([
      row('a', { cost: 1, ttftP99: 800, share: 0.7, ok: false }),
      row('b', { cost: 0.5, ttftP99: 800, share: null, ok: false }),
    ]);
    expect(rec.pick).toBeNull();
    expect(rec.text).toMatch(
      /^no config met the spec's thresholds and the quality floor; the cheapest, b, saves 50 % against a .* not judged$/,
    );
  });
});

describe('the report files', () => {
  it('rows from run directories (cost, quality per class), written as JSON that parses, Markdown and HTML', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stormlab-strategies-'));
    const weak = writeSyntheticRun(join(root, 'weak'), {
      seed: 3,
      requests: 300,
      adequateShare: 0.35,
      cacheHitRate: 0,
    });
    const strong = writeSyntheticRun(join(root, 'strong'), {
      seed: 4,
      requests: 300,
      adequateShare: 0.85,
      cacheHitRate: 0.5,
    });
    await buildReport(weak);
    await buildReport(strong);
    const c = await compareStrategies(
      'synthetic',
      ['weak', 'strong', 'never-ran'],
      [
        { name: 'weak', config: 'weak.yaml', runDir: weak },
        { name: 'strong', config: 'strong.yaml', runDir: strong },
      ],
    );
    const [w, s] = c.configs as [StrategyRow, StrategyRow];
    expect(w.quality!.share!).toBeLessThan(0.5);
    expect(s.quality!.share!).toBeGreaterThan(0.75);
    expect(Object.keys(s.qualityByClass)).toEqual(['chat', 'summarize']);
    expect(s.costBasis).toBe('ledger');
    // half the strong run's answers came from the cache: about half the cost per request
    expect(s.costPer1kUsd!).toBeLessThan(w.costPer1kUsd! * 0.7);
    expect(Object.keys(w.providerShare).sort()).toEqual(['azure', 'openai']);

    const files = await writeStrategyComparison(c, join(root, 'out'));
    const parsed = StrategyComparisonSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
    expect(parsed.recommendation.text).toBe(c.recommendation.text);
    const md = readFileSync(files.md, 'utf8');
    expect(md).toContain(`**Recommendation:** ${c.recommendation.text}`);
    expect(md).toContain('**Interrupted:** not run: never-ran.');
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('chart-str-quality');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});
