/**
 * Pure: a comparison → one self-contained HTML page: overlaid percentile curves (TTFT, E2E),
 * p99 TTFT over time and cost per 1k requests per run, the figures with deltas, breakdowns,
 * and the spec and config differences.
 */
import { fmtInt, fmtMs, fmtPct } from '../format.js';
import type { HtmlAssets } from '../html/assets.js';
import { chartTitle, color, percentileChart, type ChartSpec } from '../html/chart-spec.js';
import { esc, renderPage } from '../html/page.js';
import { canvas, codeCell, htmlTable, section } from '../html/tables.js';
import type { Comparison } from './compare.js';
import { COMPARE_ROWS, deltaText } from './rows.js';

const DASHES = [undefined, [6, 3], [2, 2], [8, 3, 2, 3]];

function charts(c: Comparison): ChartSpec[] {
  const curves = (pick: 'ttft_ms' | 'e2e_ms') =>
    c.runs.map((r, i) => ({ label: r.name, curve: r.summary.distributions[pick], color: color(i), dash: DASHES[i % DASHES.length] }));
  const timeline: ChartSpec = {
    id: 'chart-cmp-timeline',
    kind: 'timeline',
    unit: 'ms',
    config: {
      type: 'line',
      data: {
        datasets: c.runs.map((r, i) => ({
          label: r.name,
          data: r.summary.timeseries.map((row) => ({ x: row.t, y: row.ttft_p99_ms })),
          borderColor: color(i),
          backgroundColor: color(i),
          pointRadius: 1.5,
          borderWidth: 2,
        })),
      },
      options: {
        parsing: false,
        plugins: { title: chartTitle('p99 TTFT per second'), legend: { position: 'bottom' } },
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds since start' } }, y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
      },
    },
  };
  const cost: ChartSpec = {
    id: 'chart-cmp-cost',
    kind: 'bar',
    unit: 'USD',
    config: {
      type: 'bar',
      data: {
        labels: c.runs.map((r) => r.name),
        datasets: [
          { label: 'cost per 1k requests', data: c.runs.map((r) => r.summary.cost.per1kUsd), backgroundColor: c.runs.map((_, i) => color(i)) },
        ],
      },
      options: { plugins: { title: chartTitle('Cost per 1k requests'), legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'USD' } } } },
    },
  };
  return [
    percentileChart('chart-cmp-ttft', 'TTFT by percentile', curves('ttft_ms')),
    percentileChart('chart-cmp-e2e', 'E2E by percentile', curves('e2e_ms')),
    timeline,
    cost,
  ];
}

function figures(c: Comparison): string {
  const ref = c.runs[0];
  const rows = COMPARE_ROWS.map((row) => {
    const refV = ref ? row.value(ref.summary) : null;
    return [
      esc(row.label),
      ...c.runs.map((r, i) => {
        const v = row.value(r.summary);
        const d = i === 0 ? '' : deltaText(row, refV, v);
        const cls = d.endsWith('✗') ? 'bad' : d.endsWith('✓') ? 'good' : '';
        return `${esc(row.format(v))}${d ? ` <span class="${cls}">(${esc(d)})</span>` : ''}`;
      }),
    ];
  });
  return htmlTable(['', ...c.runs.map((r, i) => esc(i === 0 ? `${r.name} (reference)` : r.name))], rows);
}

function breakdowns(c: Comparison): string {
  const parts: string[] = [];
  for (const dim of ['provider', 'region', 'class'] as const) {
    const names = [...new Set(c.runs.flatMap((r) => Object.keys(r.summary.breakdowns[dim])))].sort();
    if (names.length === 0) continue;
    const rows = names.map((n) => [
      codeCell(n),
      ...c.runs.map((r) => {
        const g = r.summary.breakdowns[dim][n];
        return g ? esc(`${fmtInt(g.requests)} · ${fmtPct(g.errorRate)} err · TTFT p99 ${fmtMs(g.ttft_p99_ms)}`) : '—';
      }),
    ]);
    parts.push(`<h3>By ${esc(dim)}</h3>${htmlTable([esc(dim), ...c.runs.map((r) => esc(r.name))], rows)}`);
  }
  return section('Breakdowns', ...parts);
}

function configDiffs(c: Comparison): string {
  if (c.configDiffs.length === 0) return section('Spec and config differences', '<p class="empty">No spec.json, gateway.json or fleet.json to compare.</p>');
  const parts = c.configDiffs.map((d) => {
    const title = `<h3>${esc(d.file)}: ${esc(d.run)} vs the reference</h3>`;
    if (d.missing) return `${title}<p class="warn">missing in ${esc(d.missing)}</p>`;
    if (d.differences.length === 0) return `${title}<p class="good">identical</p>`;
    const rows = d.differences.map((x) => [codeCell(x.path), codeCell(x.a), codeCell(x.b)]);
    return `${title}${htmlTable(['path', 'reference', esc(d.run)], rows, [0, 1, 2])}${d.truncated ? '<p class="note">… more differences not shown.</p>' : ''}`;
  });
  return section('Spec and config differences', ...parts);
}

export function renderCompareHtml(c: Comparison, assets: HtmlAssets): string {
  const specs = charts(c);
  const body = [
    `<h1>stormlab compare</h1><div class="meta">${esc(c.runs.map((r) => r.name).join(' vs '))} · deltas against the first run</div>`,
    section('Latency', `<div class="grid2">${canvas('chart-cmp-ttft', true)}${canvas('chart-cmp-e2e', true)}</div>`),
    section('Over time and cost', `<div class="grid2">${canvas('chart-cmp-timeline')}${canvas('chart-cmp-cost')}</div>`),
    section('Figures', figures(c), '<p class="note">✗ marks a change for the worse of 5% or more (1 point for rates), ✓ one for the better.</p>'),
    breakdowns(c),
    configDiffs(c),
  ].join('\n');
  return renderPage({ title: `stormlab compare · ${c.runs.map((r) => r.name).join(' vs ')}`, body, charts: specs, assets });
}
