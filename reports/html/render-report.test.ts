import { describe, expect, it } from 'vitest';
import { pointLine } from '../../scenarios/samples.js';
import { craftedRun, T0 } from '../fixtures/requests.js';
import { ingestSamples } from '../ingest.js';
import { summarize } from '../summarize.js';
import { percentileX } from './chart-spec.js';
import { renderHtml } from './render-report.js';
import { reportCharts } from './report-charts.js';

const assets = { chartJs: '/* chart.js stand-in */' };

describe('renderHtml', () => {
  it('puts what the samples say into the page as text, never as markup or script', async () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const s = summarize(await ingestSamples([...craftedRun().lines, pointLine('http_reqs', 1, { provider: evil }, T0)], { startMs: T0 }));
    const html = renderHtml(s, assets);
    expect(html.match(/<script/g)).toHaveLength(3); // Chart.js, the chart specs, the client
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)'); // inside the JSON of the chart specs
  });

  it('builds the charts from the summary: HDR percentile axis, timeline, breakdowns, cost, cache', async () => {
    const s = summarize(await ingestSamples(craftedRun().lines, { startMs: T0 }));
    const charts = reportCharts(s);
    expect(charts.map((c) => c.id)).toEqual(['chart-latency', 'chart-timeline', 'chart-by-provider', 'chart-by-region', 'chart-by-class', 'chart-by-cache', 'chart-cost', 'chart-cost-provider', 'chart-cache']);
    const latency = charts[0]!;
    const ttft = latency.config.data.datasets[0]!.data as Array<{ x: number; y: number }>;
    expect(ttft[0]).toEqual({ x: 1, y: 100 }); // p0 at x = 1
    expect(ttft.some((p) => p.x === percentileX(50))).toBe(true);
    expect(percentileX(99)).toBeCloseTo(100, 9);
    const timeline = charts[1]!;
    expect(timeline.config.data.datasets.map((d) => d.label)).toEqual(['requests/s', 'errors/s', 'dropped/s', 'TTFT p99']);
    expect(timeline.chaos).toBeUndefined(); // no chaos log, no overlay
  });
});
