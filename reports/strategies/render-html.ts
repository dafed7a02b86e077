/**
 * Pure: a strategy comparison → one self-contained HTML page: the recommendation, cost against
 * quality, p99 TTFT, providers' shares per config, and the tables of the Markdown report.
 */
import type { HtmlAssets } from '../html/assets.js';
import { chartTitle, color, type ChartSpec, type DatasetSpec } from '../html/chart-spec.js';
import { esc, renderPage } from '../html/page.js';
import { canvas, htmlTable, section } from '../html/tables.js';
import type { StrategyComparison } from './schema.js';
import { notRun, figuresTable, providerTable, qualityByClassTable, qualityByModelTable, type Table } from './table.js';

function bar(
  id: string,
  heading: string,
  unit: string,
  labels: string[],
  datasets: DatasetSpec[],
  stacked = false,
): ChartSpec {
  const y: Record<string, unknown> = {
    beginAtZero: true,
    title: { display: true, text: unit },
    ...(stacked ? { stacked: true } : {}),
  };
  if (unit === '%') y.max = 100;
  return {
    id,
    kind: 'bar',
    unit,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        plugins: { title: chartTitle(heading), legend: { display: datasets.length > 1, position: 'bottom' } },
        scales: { x: stacked ? { stacked: true } : {}, y },
      },
    },
  };
}

function charts(c: StrategyComparison): ChartSpec[] {
  const names = c.configs.map((r) => r.name);
  const colors = c.configs.map((_, i) => color(i));
  const pct = (v: number | null | undefined): number | null =>
    v === null || v === undefined ? null : Math.round(v * 10000) / 100;
  const providers = [...new Set(c.configs.flatMap((r) => Object.keys(r.providerShare)))].sort();
  return [
    bar('chart-str-cost', 'Cost per 1k requests', 'USD', names, [
      { label: 'cost per 1k requests', data: c.configs.map((r) => r.costPer1kUsd), backgroundColor: colors },
    ]),
    bar('chart-str-quality', 'Adequate answers', '%', names, [
      { label: 'adequate answers', data: c.configs.map((r) => pct(r.quality?.share)), backgroundColor: colors },
    ]),
    bar('chart-str-ttft', 'TTFT p50 and p99', 'ms', names, [
      { label: 'p50', data: c.configs.map((r) => r.ttft_p50_ms), backgroundColor: color(0) },
      { label: 'p99', data: c.configs.map((r) => r.ttft_p99_ms), backgroundColor: color(2) },
    ]),
    bar(
      'chart-str-providers',
      'Share of requests per provider',
      '%',
      names,
      providers.map((p, i) => ({
        label: p,
        data: c.configs.map((r) => pct(r.providerShare[p] ?? 0)),
        backgroundColor: color(i + 3),
        stack: 'p',
      })),
      true,
    ),
  ];
}

const tableHtml = (t: Table): string =>
  htmlTable(
    t.head.map((h) => esc(h)),
    t.rows.map((r) => r.map((v) => esc(v))),
  );

export function renderStrategiesHtml(c: StrategyComparison, assets: HtmlAssets): string {
  const missing = notRun(c);
  const seed = c.seed === null ? '' : ` · seed ${c.seed}`;
  const body = [
    `<h1>stormlab compare-strategies · ${esc(c.spec)}</h1>`,
    `<div class="meta">${esc(c.configs.map((r) => r.name).join(' vs '))}${esc(seed)} · the first config is the baseline` +
      '</div>',
    `<div class="card"><div class="v">${esc(c.recommendation.text)}</div>` +
      `<div class="k">recommendation: ${esc(c.recommendation.rule)}</div></div>`,
    ...c.failed.map((f) => `<p class="bad">Failed: ${esc(f.name)}: ${esc(f.message)}</p>`),
    missing.length > 0 ? `<p class="warn">Interrupted: not run: ${esc(missing.join(', '))}.</p>` : '',
    section('Cost and quality', `<div class="grid2">${canvas('chart-str-cost')}${canvas('chart-str-quality')}</div>`),
    section(
      'Latency and providers',
      `<div class="grid2">${canvas('chart-str-ttft')}${canvas('chart-str-providers')}</div>`,
    ),
    section(
      'Figures',
      tableHtml(figuresTable(c)),
      '<p class="note">Cost per 1k requests counts every upstream attempt the fleet billed (retries, failovers, ' +
        'cascade escalations); failovers are requests that took more than one attempt.</p>',
    ),
    section('Share of requests per provider', tableHtml(providerTable(c))),
    section('Adequate answers per class', tableHtml(qualityByClassTable(c))),
    section('Adequate answers per serving model', tableHtml(qualityByModelTable(c))),
  ].join('\n');
  return renderPage({ title: `stormlab compare-strategies · ${c.spec}`, body, charts: charts(c), assets });
}
