/**
 * Pure: a capacity report → one self-contained HTML page: the knee per config, the curves (rate
 * against TTFT and E2E p99, error rate, cost per 1k, upstream queue time) with the SLO drawn in
 * and the knee marked, where the limit came from, the steps, and the projections.
 */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtUsd } from '../format.js';
import type { HtmlAssets } from '../html/assets.js';
import { chartTitle, color, type ChaosOverlay, type ChartSpec, type DatasetSpec } from '../html/chart-spec.js';
import { esc, renderPage } from '../html/page.js';
import { canvas, card, codeCell, htmlTable, section } from '../html/tables.js';
import { fmtHeadroom, fmtRate, searchText, STOP_TEXT } from './render-markdown.js';
import type { CapacityReport, ConfigResult, Projection, Step } from './schema.js';

type Pick = (s: Step) => number | null;

function series(c: ConfigResult, i: number, label: string, pick: Pick, dash?: number[]): DatasetSpec {
  return {
    label,
    data: c.steps.map((s) => ({ x: s.rate, y: pick(s) })),
    borderColor: color(i),
    backgroundColor: c.steps.map((s) => (s.ok ? color(i) : '#cf222e')),
    pointRadius: 4,
    borderWidth: 2,
    spanGaps: true,
    ...(dash ? { borderDash: dash } : {}),
  };
}

/** A horizontal SLO line across the rates tried. */
function sloLine(r: CapacityReport, label: string, y: number): DatasetSpec {
  const rates = r.configs.flatMap((c) => c.steps.map((s) => s.rate));
  const lo = Math.min(0, ...rates);
  const hi = Math.max(1, ...rates);
  const red = '#cf222e';
  return { label, data: [{ x: lo, y }, { x: hi, y }], borderColor: red, backgroundColor: red, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 };
}

function knees(r: CapacityReport): ChaosOverlay {
  const multi = r.configs.length > 1;
  return {
    spans: [],
    marks: r.configs
      .filter((c) => c.knee !== null)
      .map((c) => ({ t: c.knee as number, label: `knee ${fmtNum(c.knee as number)}/s${multi ? ` ${c.name}` : ''}` })),
  };
}

function xy(id: string, heading: string, unit: string, datasets: DatasetSpec[], r: CapacityReport): ChartSpec {
  return {
    id,
    kind: 'xy',
    unit,
    xUnit: 'req/s',
    chaos: knees(r),
    config: {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        plugins: { title: chartTitle(heading), legend: { position: 'bottom' } },
        scales: {
          x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'arrival rate (req/s)' } },
          y: { beginAtZero: true, title: { display: true, text: unit } },
        },
      },
    },
  };
}

function charts(r: CapacityReport): ChartSpec[] {
  const name = (c: ConfigResult, what: string) => (r.configs.length > 1 ? `${c.name} ${what}` : what);
  const latency: DatasetSpec[] = r.configs.flatMap((c, i) => [
    series(c, i, name(c, 'TTFT p99'), (s) => s.ttftP99Ms),
    series(c, i, name(c, 'E2E p99'), (s) => s.e2eP99Ms, [6, 3]),
  ]);
  for (const o of r.slo.objectives) {
    if (o.metric === 'ttft' || o.metric === 'e2e') latency.push(sloLine(r, `SLO ${o.source}`, o.limit));
  }
  const pct = (s: Step) => (s.errorRate === null ? null : s.errorRate * 100);
  const errors: DatasetSpec[] = r.configs.map((c, i) => series(c, i, name(c, 'error rate'), pct));
  for (const o of r.slo.objectives) if (o.metric === 'http_req_failed') errors.push(sloLine(r, `SLO ${o.source}`, o.limit * 100));
  const cost = r.configs.map((c, i) => series(c, i, name(c, 'cost per 1k'), (s) => s.costPer1kUsd));
  const queue = r.configs.map((c, i) => series(c, i, name(c, 'upstream queue p99'), (s) => s.upstream?.queueP99Ms ?? null));
  return [
    xy('chart-cap-latency', 'p99 latency against the arrival rate', 'ms', latency, r),
    xy('chart-cap-errors', 'Error rate against the arrival rate', '%', errors, r),
    xy('chart-cap-cost', 'Cost per 1k requests against the arrival rate', 'USD', cost, r),
    xy('chart-cap-queue', 'Upstream queue time p99 (fleet ledger)', 'ms', queue, r),
  ];
}

/** The objectives a step crossed: `ttft p(99)<500, http_req_failed rate<0.01`. */
function crossed(s: Step): string {
  return s.objectives
    .filter((o) => !o.ok)
    .map((o) => `${o.key} ${o.threshold}`)
    .join(', ');
}

function stepsTable(c: ConfigResult): string {
  const rows = c.steps.map((s) => [
    esc(`${fmtNum(s.rate)}/s${s.rerunOf ? ' (re-run)' : ''}`),
    esc(fmtInt(s.requests)),
    esc(fmtMs(s.ttftP99Ms)),
    esc(fmtMs(s.e2eP99Ms)),
    esc(fmtPct(s.errorRate)),
    esc(fmtUsd(s.costPer1kUsd)),
    esc(s.upstream ? fmtMs(s.upstream.queueP99Ms) : '—'),
    esc(s.upstream ? `${s.upstream.rateLimited} / ${s.upstream.overloaded}` : '—'),
    esc(s.gatewayCpu ? fmtNum(Math.round(s.gatewayCpu.cores * 100) / 100) : '—'),
    s.ok ? '<span class="good">✓ met</span>' : `<span class="bad">✗ ${esc(crossed(s))}</span>`,
  ]);
  const head = ['rate', 'requests', 'TTFT p99', 'E2E p99', 'errors', 'cost / 1k', 'queue p99', '429 / 503·529', 'gateway cores', 'SLO'];
  const table = htmlTable(head, rows);
  const reruns = c.steps.some((s) => s.rerunOf)
    ? '<p class="note">(re-run): a try at this rate failed with nothing upstream or in the gateway to explain it, ' +
      'so it ran again after a pause and the last try counts.</p>'
    : '';
  return table + reruns;
}

function projectionHtml(p: Projection): string {
  const money = htmlTable(
    ['', 'with the cache', 'without the cache'],
    [
      ['cost per 1k requests', esc(fmtUsd(p.costPerRequestUsd * 1000)), esc(fmtUsd(p.costPerRequestNoCacheUsd * 1000))],
      ['daily cost', esc(fmtUsd(p.dailyUsd)), esc(fmtUsd(p.dailyNoCacheUsd))],
      ['monthly cost (30 days)', esc(fmtUsd(p.monthlyUsd)), esc(fmtUsd(p.monthlyNoCacheUsd))],
    ],
  );
  const quota = p.quotas.length === 0 ? '' : htmlTable(
    ['upstream', 'RPM at peak', 'TPM at peak', 'RPM without cache', 'TPM without cache'],
    p.quotas.map((q) => [codeCell(q.endpoint), ...[q.rpm, q.tpm, q.rpmNoCache, q.tpmNoCache].map((n) => esc(fmtInt(n)))]),
  );
  const mean = fmtNum(Math.round(p.meanRps * 10) / 10);
  const profile = `${fmtInt(p.dailyRequests)} requests/day (mean ${mean}/s), peak ${fmtNum(p.peakRps)}/s`;
  const head = `<p>${esc(profile)} · cache hit rate ${esc(fmtPct(p.cacheHitRate))}</p>`;
  const notes = p.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
  const quotaNote =
    '<p class="note">Upstream calls per request as measured at the knee (retries and failovers included); ' +
    'TPM counts input + output tokens.</p>';
  return `${head}${money}${quota ? `<h3>Provider quota needed at the peak</h3>${quota}${quotaNote}` : ''}${notes}`;
}

function configSection(c: ConfigResult, multi: boolean): string {
  const headroom = c.projection?.headroomAtPeak ?? null;
  const cards = `<div class="cards">${[
    card('knee (highest rate meeting the SLO)', fmtRate(c.knee), c.knee === null ? 'bad' : 'good'),
    card('first failing rate', fmtRate(c.firstFail)),
    card('limit', c.limit?.cause ?? '—', c.limit ? 'warn' : ''),
    card('steps', String(c.steps.length)),
    ...(c.projection
      ? [
          card('headroom at peak', fmtHeadroom(headroom), headroom !== null && headroom < 0 ? 'bad' : 'good'),
          card('monthly cost', fmtUsd(c.projection.monthlyUsd)),
        ]
      : []),
  ].join('')}</div>`;
  const stop = `<p class="note">Search: ${esc(STOP_TEXT[c.stop])}.${c.file ? ` Gateway config ${codeCell(c.file)}.` : ''}</p>`;
  const limit = c.limit
    ? `<h3>Where the limit came from</h3><ul>${c.limit.causes.map((x) => `<li><b>${esc(x.cause)}</b>: ${esc(x.evidence)}</li>`).join('')}</ul>`
    : '';
  const proj = c.projection ? `<h3>Projection</h3>${projectionHtml(c.projection)}` : '';
  const warn = c.warnings.map((w) => `<p class="warn">⚠ ${esc(w)}</p>`).join('');
  return section(multi ? `Config ${c.name}` : 'Result', cards, stop, warn, limit, '<h3>Steps</h3>', stepsTable(c), proj);
}

export function renderCapacityHtml(r: CapacityReport, assets: HtmlAssets): string {
  const multi = r.configs.length > 1;
  const profile = r.profile ? ` · profile <code>${esc(r.profile.text)}</code>` : '';
  const meta = `SLO <code>${esc(r.slo.text)}</code> and no dropped starts · ${esc(searchText(r.search))}${profile}`;
  const curves = ['chart-cap-latency', 'chart-cap-errors', 'chart-cap-cost', 'chart-cap-queue'].map((id, i) => canvas(id, i < 2)).join('');
  const body = [
    `<h1>stormlab capacity · ${esc(r.spec)}</h1><div class="meta">${meta}</div>`,
    section('Curves', `<div class="grid2">${curves}</div>`,
      '<p class="note">Red points broke the SLO; dashed red lines are the SLO; the vertical line marks the knee.</p>'),
    ...r.configs.map((c) => configSection(c, multi)),
  ].join('\n');
  return renderPage({ title: `stormlab capacity · ${r.spec}`, body, charts: charts(r), assets });
}
