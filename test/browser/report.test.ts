/**
 * The HTML reports in a real Chromium (Debian's, driven by playwright-core): no console errors,
 * every chart rendered with data on a non-blank canvas, screenshots saved under test-results/.
 * Needs /usr/bin/chromium or STORMLAB_CHROMIUM=/path/to/chromium (`npm test` installs or asks for it first:
 * scripts/prepare-test.mjs).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, openReport } from '../../scripts/tools/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../reports/build.js';
import { writeComparison } from '../../reports/compare/index.js';
import { writeSyntheticRun } from '../../reports/fixtures/synthetic-run.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

interface ChartInfo {
  id: string;
  type: string;
  points: number[];
  painted: number;
  plugins: string[];
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Open a report file; return its console errors, requests that left the file, and what each chart drew. */
async function inspect(file: string, screenshot: string): Promise<{ errors: string[]; requests: string[]; charts: ChartInfo[] }> {
  const { page, errors, requests } = await openReport(browser, file, { width: 1280, height: 900 });
  try {
    const charts = await page.evaluate(() => {
      // the browser's types, as far as this test reads them (the project's tsconfig has no DOM lib)
      type Canvas = { id: string; width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      type C = { canvas: Canvas; config: { type: string; plugins?: Array<{ id: string }> }; data: { datasets: Array<{ data: unknown[] }> } };
      const list = (globalThis as unknown as { stormlabCharts: C[] }).stormlabCharts;
      return list.map((c) => {
        const { data } = c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted++;
        return { id: c.canvas.id, type: c.config.type, points: c.data.datasets.map((d) => d.data.filter((v) => v !== null).length), painted, plugins: (c.config.plugins ?? []).map((p) => p.id) };
      });
    });
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
    return { errors, requests, charts };
  } finally {
    await page.close();
  }
}

function expectDrawnWithData(charts: ChartInfo[], ids: string[]): void {
  expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
  for (const c of charts) {
    expect(c.points.length, `${c.id} datasets`).toBeGreaterThan(0);
    expect(Math.max(...c.points), `${c.id} points`).toBeGreaterThan(0);
    expect(c.painted, `${c.id} canvas painted`).toBeGreaterThan(500);
  }
}

describe('HTML reports in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'stormlab-browser-'));
  const a = writeSyntheticRun(join(root, 'run-a'), { seed: 1, requests: 300, chaos: true });
  const b = writeSyntheticRun(join(root, 'run-b'), { seed: 2, requests: 300, addLatencyMs: 200, cacheHitRate: 0.1 });

  it('a single-run report: every chart drawn with data, chaos marked, no console errors, nothing fetched', async () => {
    const { files } = await buildReport(a);
    const r = await inspect(files.html, 'report.png');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expectDrawnWithData(r.charts, ['chart-latency', 'chart-timeline', 'chart-by-provider', 'chart-by-region', 'chart-by-class', 'chart-by-cache', 'chart-cost', 'chart-cost-provider', 'chart-cache']);
    expect(r.charts.find((c) => c.id === 'chart-timeline')?.plugins).toContain('stormlabChaos');
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
  });

  it('a comparison: overlaid curves, one dataset per run, no console errors', async () => {
    const { files } = await writeComparison([a, b], join(root, 'cmp'));
    const r = await inspect(files.html, 'compare.png');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expectDrawnWithData(r.charts, ['chart-cmp-ttft', 'chart-cmp-e2e', 'chart-cmp-timeline', 'chart-cmp-cost']);
    expect(r.charts.find((c) => c.id === 'chart-cmp-ttft')?.points).toHaveLength(2);
    expect(existsSync(join(ARTIFACTS, 'compare.png'))).toBe(true);
  });
});
