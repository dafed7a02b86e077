/**
 * The strategy comparison's HTML report in a real Chromium (Debian's, driven by playwright-core):
 * no console errors, nothing fetched, every chart drawn with one bar per config, the
 * recommendation on the page; a screenshot saved under test-results/. With STORMLAB_STRATEGIES_HTML
 * set to a real report (strategies.html of a `stormlab compare-strategies` run), it checks and
 * screenshots that one instead: how docs/img/compare-strategies.png is made.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, openReport } from '../../scripts/tools/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../reports/build.js';
import { writeSyntheticRun } from '../../reports/fixtures/synthetic-run.js';
import { compareStrategies, writeStrategyComparison } from '../../reports/strategies/index.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

async function strategiesHtml(): Promise<string> {
  if (process.env.STORMLAB_STRATEGIES_HTML) return process.env.STORMLAB_STRATEGIES_HTML;
  const root = mkdtempSync(join(tmpdir(), 'stormlab-browser-strategies-'));
  const runs = [
    { name: 'priority', seed: 1, adequateShare: 0.66, cacheHitRate: 0 },
    { name: 'least-cost', seed: 2, adequateShare: 0.6, cacheHitRate: 0.2 },
    { name: 'frontier-only', seed: 3, adequateShare: 0.86, cacheHitRate: 0 },
  ];
  const built = [];
  for (const r of runs) {
    const dir = writeSyntheticRun(join(root, r.name), { requests: 200, ...r });
    await buildReport(dir);
    built.push({ name: r.name, config: `${r.name}.yaml`, runDir: dir });
  }
  const c = await compareStrategies(
    'synthetic',
    runs.map((r) => r.name),
    built,
  );
  return (await writeStrategyComparison(c, join(root, 'out'))).html;
}

describe('the strategy comparison report in Chromium', () => {
  it('every chart drawn with a bar per config, the recommendation shown, no errors, nothing fetched', async () => {
    const file = await strategiesHtml();
    const json = JSON.parse(readFileSync(join(file, '..', 'strategies.json'), 'utf8')) as {
      configs: unknown[];
      recommendation: { text: string };
    };
    const { page, errors, requests } = await openReport(browser, file, { width: 1280, height: 900 });
    try {
      const charts = await page.evaluate(() => {
        type Ctx = { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
        type Canvas = { id: string; width: number; height: number; getContext(kind: '2d'): Ctx };
        type C = { canvas: Canvas; data: { labels: unknown[]; datasets: Array<{ data: unknown[] }> } };
        const list = (globalThis as unknown as { stormlabCharts: C[] }).stormlabCharts;
        return list.map((c) => {
          const { data } = c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted++;
          const points = c.data.datasets.map((d) => d.data.filter((v) => v !== null).length);
          return { id: c.canvas.id, labels: c.data.labels.length, points, painted };
        });
      });
      type Doc = { document: { body: { innerText: string } } };
      const text = await page.evaluate(() => (globalThis as unknown as Doc).document.body.innerText);
      await page.screenshot({ path: join(ARTIFACTS, 'compare-strategies.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      const ids = ['chart-str-cost', 'chart-str-providers', 'chart-str-quality', 'chart-str-ttft'];
      expect(charts.map((c) => c.id).sort()).toEqual(ids);
      for (const c of charts) {
        expect(c.labels, c.id).toBe(json.configs.length);
        expect(Math.max(...c.points), `${c.id} bars`).toBe(json.configs.length);
        expect(c.painted, `${c.id} canvas painted`).toBeGreaterThan(500);
      }
      expect(text).toContain(json.recommendation.text);
      expect(existsSync(join(ARTIFACTS, 'compare-strategies.png'))).toBe(true);
    } finally {
      await page.close();
    }
  });
});
