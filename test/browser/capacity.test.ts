/**
 * The capacity report in a real Chromium (Debian's, driven by playwright-core): every curve drawn
 * with data, the knee marked, the SLO lines present, no console errors, nothing fetched; a
 * screenshot goes to test-results/capacity.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, openReport } from '../../scripts/tools/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapacityReport } from '../../reports/capacity/index.js';
import { syntheticCapacityReport } from '../../reports/fixtures/capacity-report.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('capacity report in Chromium', () => {
  it('draws every curve with its data, the SLO lines and the knee marks, with no console errors', async () => {
    const report = syntheticCapacityReport();
    const files = await writeCapacityReport(report, mkdtempSync(join(tmpdir(), 'stormlab-capacity-html-')));
    const { page, errors, requests } = await openReport(browser, files.html, { width: 1280, height: 900 });
    try {
      const charts = await page.evaluate(() => {
        type Canvas = { id: string; width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
        type C = { canvas: Canvas; config: { plugins?: Array<{ id: string }> }; data: { datasets: Array<{ label: string; data: unknown[] }> } };
        return (globalThis as unknown as { stormlabCharts: C[] }).stormlabCharts.map((c) => {
          const { data } = c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted++;
          return { id: c.canvas.id, labels: c.data.datasets.map((d) => d.label), points: c.data.datasets.map((d) => d.data.length), painted, plugins: (c.config.plugins ?? []).map((p) => p.id) };
        });
      });
      await page.screenshot({ path: join(ARTIFACTS, 'capacity.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(charts.map((c) => c.id)).toEqual(['chart-cap-latency', 'chart-cap-errors', 'chart-cap-cost', 'chart-cap-queue']);
      for (const c of charts) {
        expect(c.painted, `${c.id} painted`).toBeGreaterThan(500);
        expect(c.plugins, `${c.id} knee marks`).toContain('stormlabChaos');
      }
      const latency = charts[0]!;
      const steps = report.configs.map((c) => c.steps.length);
      expect(latency.labels).toEqual(['default TTFT p99', 'default E2E p99', 'cached TTFT p99', 'cached E2E p99', 'SLO ttft p99<500ms']);
      expect(latency.points).toEqual([steps[0], steps[0], steps[1], steps[1], 2]);
      const text = await page.textContent('body');
      for (const c of report.configs) expect(text).toContain(`knee ${c.knee}/s`);
      expect(text).toContain('Provider quota needed at the peak');
    } finally {
      await page.close();
    }
  });
});
