/**
 * The game-day report in a real Chromium (Debian's, driven by playwright-core): no console errors,
 * nothing fetched, the three timeline charts drawn with data and the fault overlay, the verdicts
 * on the page. A screenshot goes to test-results/gameday.png.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, openReport } from '../../scripts/tools/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHtmlAssets } from '../../reports/html/assets.js';
import type { ClientRequest, UpstreamCall } from '../../reports/gameday/inputs.js';
import { renderGamedayHtml } from '../../reports/gameday/render-html.js';
import { evaluateGameday } from '../../reports/gameday/result.js';
import { parseExpectation, type Expectation } from '../../scenarios/gameday/expectation.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const T0 = Date.parse('2026-11-26T10:00:00Z');
const exp = (t: string): Expectation => {
  const r = parseExpectation(t);
  if (!r.ok) throw new Error(r.expected);
  return r.value;
};

/** 30 s at 10/s; openai/us-east is down from 10 s to 20 s and requests move to eu-west. */
function outageHtml(): string {
  const requests: ClientRequest[] = [];
  const calls: UpstreamCall[] = [];
  for (let i = 0; i < 300; i++) {
    const s = i / 10;
    const down = s >= 10 && s < 20;
    const endpoint = down ? 'openai/eu-west' : 'openai/us-east';
    const cut = s >= 9 && s < 10 && i % 3 === 0;
    requests.push({
      startMs: T0 + s * 1000,
      endMs: T0 + (cut ? 10 : s + 1) * 1000,
      ok: !cut,
      status: 200,
      endpoint,
      ttftMs: down ? 450 + (i % 7) * 20 : 300 + (i % 5) * 15,
      attempts: down ? 2 : 1,
    });
    calls.push({
      timeMs: T0 + s * 1000 + 3,
      endMs: T0 + (s + 1) * 1000,
      requestId: `r${i}`,
      endpoint,
      attempt: down ? 2 : 1,
      status: 200,
      ok: !cut,
      costUsd: 0.0003,
    });
  }
  const result = evaluateGameday(
    {
      name: 'primary-region-outage',
      description: 'openai/us-east refuses connections from 10 s to 20 s',
      slo: { availability: 0.99 },
      expect: [
        'client_errors_during_fault < 1%',
        'time_to_failover < 5s',
        'alert GatewayUpstreamDown fires within 30s',
      ].map(exp),
    },
    {
      dir: '/tmp',
      target: 'http://127.0.0.1:8080',
      gatewayConfig: 'default',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 31_000).toISOString(),
    },
    {
      runStartMs: T0,
      runEndMs: T0 + 31_000,
      requests,
      calls,
      faults: [
        {
          id: 'f',
          fault: 'outage-refuse',
          scope: { provider: 'openai', region: 'us-east' },
          startMs: T0 + 10_000,
          endMs: T0 + 20_000,
        },
      ],
      alerts: {
        available: true,
        rules: ['GatewayUpstreamDown', 'GatewayP99High'],
        firings: [
          {
            alert: 'GatewayUpstreamDown',
            labels: { upstream: 'openai/us-east' },
            firedMs: T0 + 13_000,
            resolvedMs: T0 + 24_000,
          },
        ],
      },
    },
  );
  return renderGamedayHtml(result, loadHtmlAssets());
}

describe('game-day report in Chromium', () => {
  it('draws the timeline charts with the fault shaded and the alert marked; no console errors, nothing fetched', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stormlab-gameday-html-')), 'gameday.html');
    writeFileSync(file, outageHtml());
    const { page, errors, requests } = await openReport(browser, file, { width: 1280, height: 1800 });
    try {
      const charts = await page.evaluate(() => {
        type Canvas = {
          id: string;
          width: number;
          height: number;
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        type C = {
          canvas: Canvas;
          config: { plugins?: Array<{ id: string }> };
          data: { datasets: Array<{ data: Array<{ y: number | null }> }> };
        };
        return (globalThis as unknown as { stormlabCharts: C[] }).stormlabCharts.map((c) => {
          const { data } = c.canvas.getContext('2d').getImageData(0, 0, c.canvas.width, c.canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted++;
          return {
            id: c.canvas.id,
            plugins: (c.config.plugins ?? []).map((p) => p.id),
            points: c.data.datasets.map((d) => d.data.filter((p) => p.y !== null).length),
            painted,
          };
        });
      });
      const text = await page.evaluate(
        () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'gameday.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(charts.map((c) => c.id)).toEqual(['chart-rate', 'chart-ttft', 'chart-share']);
      for (const c of charts) {
        expect(c.plugins, c.id).toContain('stormlabChaos');
        expect(Math.max(...c.points), c.id).toBeGreaterThan(20);
        expect(c.painted, c.id).toBeGreaterThan(500);
      }
      expect(text).toContain('✓ all 3 expectations held');
      expect(text).toContain('GatewayUpstreamDown');
      expect(text).toContain('Never fired: GatewayP99High.');
    } finally {
      await page.close();
    }
  });
});
