/**
 * Pure: a game day's result → one self-contained HTML page (Chart.js inlined): the verdicts, the
 * timeline with the faults shaded and the alert firings marked (rate and errors, p99 TTFT, the
 * share of requests each upstream served), the faults and the alerts.
 */
import type { HtmlAssets } from '../html/assets.js';
import { chartTitle, color, RED, type ChaosOverlay, type ChartSpec, type DatasetSpec } from '../html/chart-spec.js';
import { esc, renderPage } from '../html/page.js';
import type { GamedayResult } from './result-types.js';
import { FAULT_COLUMNS, faultCells, INSTANCE_COLUMNS, instanceCells, measureCells } from './fault-table.js';
import { servingEndpoints } from './timeline.js';
import { formatMs, formatValue } from './verdict.js';

function overlay(r: GamedayResult): ChaosOverlay {
  const m = r.measurements;
  const firstFaultS = m.faults[0]?.fromS ?? 0;
  const lastEndS = Math.max(firstFaultS, ...m.faults.map((f) => f.toS));
  const marks: ChaosOverlay['marks'] = [];
  for (const a of m.alerts.timings) {
    marks.push({ t: firstFaultS + a.firedAfterMs / 1000, label: `fired: ${a.alert}` });
    if (a.resolvedAfterMs !== null)
      marks.push({ t: lastEndS + a.resolvedAfterMs / 1000, label: `resolved: ${a.alert}` });
  }
  return { spans: m.faults.map((f) => ({ from: f.fromS, to: f.toS, label: f.fault })), marks };
}

function timelineSpec(
  id: string,
  heading: string,
  unit: string,
  datasets: DatasetSpec[],
  chaos: ChaosOverlay,
  extra: Record<string, unknown> = {},
): ChartSpec {
  return {
    id,
    kind: 'timeline',
    unit,
    chaos,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        plugins: { title: chartTitle(heading), legend: { position: 'bottom' } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'seconds since start' } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: unit }, ...extra },
        },
      },
    },
  };
}

export function gamedayCharts(r: GamedayResult): ChartSpec[] {
  const tl = r.timeline;
  const chaos = overlay(r);
  const line = { pointRadius: 0, borderWidth: 1.5 };
  const rate = timelineSpec(
    'chart-rate',
    'Requests and client errors per second (faults shaded, alerts marked)',
    'per second',
    [
      {
        label: 'requests/s',
        data: tl.map((b) => ({ x: b.t, y: b.requests })),
        borderColor: color(0),
        backgroundColor: 'rgba(9,105,218,0.12)',
        fill: true,
        ...line,
      },
      {
        label: 'errors/s',
        data: tl.map((b) => ({ x: b.t, y: b.errors })),
        borderColor: RED,
        backgroundColor: RED,
        ...line,
      },
    ],
    chaos,
  );
  const ttft = timelineSpec(
    'chart-ttft',
    'p99 time to first token, by second of start',
    'ms',
    [
      {
        label: 'TTFT p99',
        data: tl.map((b) => ({ x: b.t, y: b.p99TtftMs })),
        borderColor: color(4),
        backgroundColor: color(4),
        pointRadius: 1.5,
        borderWidth: 2,
      },
    ],
    chaos,
  );
  const endpoints = servingEndpoints(tl);
  const share = timelineSpec(
    'chart-share',
    'Share of successful requests served, per upstream',
    '%',
    endpoints.map((e, i) => ({
      label: e,
      data: tl.map((b) => {
        const ok = Object.values(b.served).reduce((s, c) => s + c, 0);
        return { x: b.t, y: ok > 0 ? (100 * (b.served[e] ?? 0)) / ok : null };
      }),
      borderColor: color(i),
      backgroundColor: color(i),
      fill: i === 0 ? 'origin' : '-1',
      stack: 'share',
      ...line,
    })),
    chaos,
    { stacked: true, max: 100 },
  );
  return [rate, ttft, share];
}

const STATUS_CLASS = { pass: 'good', fail: 'bad', skipped: 'warn' } as const;
const STATUS_TEXT = { pass: '✓ pass', fail: '✗ fail', skipped: '– skipped' } as const;

function rows(cells: string[][]): string {
  return cells
    .map((c) => `<tr>${c.map((x, i) => `<td${i === 0 ? ' class="l"' : ''}>${x}</td>`).join('')}</tr>`)
    .join('');
}

function tableHtml(head: string[], body: string[][]): string {
  const th = head.map((h, i) => `<th${i === 0 ? ' class="l"' : ''}>${esc(h)}</th>`).join('');
  return `<div class="scroll"><table><tr>${th}</tr>${rows(body)}</table></div>`;
}

const card = (k: string, v: string): string =>
  `<div class="card"><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`;


export function renderGamedayHtml(r: GamedayResult, assets: HtmlAssets): string {
  const m = r.measurements;
  const failed = r.verdicts.filter((v) => v.status === 'fail').length;
  const headline = r.ok
    ? `<span class="good">✓ all ${r.verdicts.length} expectations held</span>`
    : `<span class="bad">✗ ${failed} of ${r.verdicts.length} expectations failed</span>`;
  const charts = gamedayCharts(r);
  const cards = [
    ['requests', String(m.requests)],
    ['client errors', formatValue('rate', m.values.client_errors, false)],
    ['errors during faults', formatValue('rate', m.values.client_errors_during_fault, false)],
    ['time to fail over', formatValue('duration', m.values.time_to_failover)],
    ['time to recover', formatValue('duration', m.values.time_to_recover)],
    ['error budget burned', formatValue('rate', m.values.error_budget_burned, false)],
  ];
  const verdicts = tableHtml(
    ['expectation', 'observed', 'verdict'],
    r.verdicts.map((v) => [
      `<code>${esc(v.expectation)}</code>`,
      esc(v.note ? `${v.observed} (${v.note})` : v.observed),
      `<span class="${STATUS_CLASS[v.status]}">${STATUS_TEXT[v.status]}</span>`,
    ]),
  );
  const faults = tableHtml(FAULT_COLUMNS, m.faults.map((f) => faultCells(f).map(esc)));
  const measures = tableHtml(
    ['measure', 'value'],
    measureCells(m).map(([n, v]) => [`<code>${esc(n)}</code>`, esc(v)]),
  );
  let alerts: string;
  if (!m.alerts.available)
    alerts = `<p class="warn">Not measured: ${esc(m.alerts.reason ?? 'Prometheus did not run')}.</p>`;
  else {
    const fired =
      m.alerts.timings.length === 0
        ? '<p class="empty">No alert fired.</p>'
        : tableHtml(
            ['alert', 'labels', 'time to alert', 'resolved'],
            m.alerts.timings.map((t) =>
              [
                t.alert,
                Object.entries(t.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' '),
                `${formatMs(t.firedAfterMs)} after the fault began`,
                t.resolvedAfterMs === null
                  ? 'still firing at the end'
                  : `${formatMs(t.resolvedAfterMs)} after the fault ended`,
              ].map(esc),
            ),
          );
    const never = m.alerts.neverFired.length
      ? `Never fired: ${m.alerts.neverFired.map((a) => `<code>${esc(a)}</code>`).join(', ')}.`
      : 'Every rule fired.';
    alerts = `${fired}<p class="note">${never}</p>`;
  }
  const body = [
    `<h1>Game day · ${esc(r.plan.name)}</h1>`,
    `<p class="meta">${esc(r.plan.description)}</p>`,
    `<p class="meta">target <code>${esc(r.run.target)}</code>` +
      (r.run.gatewayConfig ? ` · gateway config <code>${esc(r.run.gatewayConfig)}</code>` : '') +
      ` · primary endpoint <code>${esc(m.primary ?? 'unknown')}</code> · ${esc(r.run.startedAt)}</p>`,
    `<h2>${headline}</h2>`,
    `<div class="cards">${cards.map(([k, v]) => card(k ?? '', v ?? '')).join('')}</div>`,
    verdicts,
    '<h2>Timeline</h2>',
    ...charts.map((c) => `<div class="chart tall"><canvas id="${c.id}"></canvas></div>`),
    '<h2>Faults</h2>',
    faults,
    ...(m.instances.length > 0
      ? ['<h2>Gateway instances killed</h2>', tableHtml(INSTANCE_COLUMNS, m.instances.map((k) => instanceCells(k).map(esc)))]
      : []),
    '<h2>Alerts</h2>',
    alerts,
    '<h2>Measures</h2>',
    measures,
  ].join('\n');
  return renderPage({ title: `Game day · ${r.plan.name}`, body, charts, assets });
}
