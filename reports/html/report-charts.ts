/** Pure: the chart specs of a single-run report, from its summary. */
import type { GroupSummary, Summary } from '../summary-schema.js';
import { chartTitle, color, GREEN, percentileChart, RED, type ChaosOverlay, type ChartSpec, type XY } from './chart-spec.js';

export const BREAKDOWN_DIMS = ['provider', 'region', 'class', 'cache'] as const;

export function latencyDistributionChart(s: Summary): ChartSpec {
  return percentileChart('chart-latency', 'Latency by percentile (HDR)', [
    { label: 'TTFT', curve: s.distributions.ttft_ms, color: color(0) },
    { label: 'E2E', curve: s.distributions.e2e_ms, color: color(2) },
    { label: 'ITL', curve: s.distributions.itl_ms, color: color(3) },
  ]);
}

/** Faults as shaded spans (start → stop of the same id, or → the end of the run) and lines. */
export function chaosOverlay(s: Summary): ChaosOverlay | undefined {
  const events = s.chaos?.events ?? [];
  if (events.length === 0) return undefined;
  const end = Math.max(s.run.durationS, s.timeseries[s.timeseries.length - 1]?.t ?? 0, ...events.map((e) => e.t));
  const open = new Map<string, { t: number; fault: string }>();
  const spans: ChaosOverlay['spans'] = [];
  for (const e of events) {
    if (e.event === 'start') open.set(e.id, { t: e.t, fault: e.fault });
    else {
      const from = open.get(e.id);
      spans.push({ from: from?.t ?? 0, to: e.t, label: e.fault });
      open.delete(e.id);
    }
  }
  for (const o of open.values()) spans.push({ from: o.t, to: end, label: o.fault });
  const marks = events.map((e) => ({ t: e.t, label: e.event === 'start' ? `▶ ${e.fault}` : '' }));
  return { spans, marks };
}

export function timelineChart(s: Summary, id = 'chart-timeline'): ChartSpec {
  const pts = (f: (r: Summary['timeseries'][number]) => number | null): XY[] => s.timeseries.map((r) => ({ x: r.t, y: f(r) }));
  const chaos = chaosOverlay(s);
  return {
    id,
    kind: 'timeline',
    unit: '/s',
    unit1: 'ms',
    ...(chaos ? { chaos } : {}),
    config: {
      type: 'line',
      data: {
        datasets: [
          { label: 'requests/s', data: pts((r) => r.requests), borderColor: color(0), backgroundColor: 'rgba(9,105,218,0.12)', fill: true, pointRadius: 0, borderWidth: 1.5 },
          { label: 'errors/s', data: pts((r) => r.errors), borderColor: RED, backgroundColor: RED, pointRadius: 0, borderWidth: 1.5 },
          { label: 'dropped/s', data: pts((r) => r.dropped), borderColor: color(8), backgroundColor: color(8), borderDash: [5, 3], pointRadius: 0, borderWidth: 1.5 },
          { label: 'TTFT p99', data: pts((r) => r.ttft_p99_ms), yAxisID: 'y1', borderColor: color(4), backgroundColor: color(4), pointRadius: 1.5, borderWidth: 2, spanGaps: false },
        ],
      },
      options: {
        parsing: false,
        plugins: { title: chartTitle('Timeline: rate, errors and p99 TTFT (chaos faults shaded)'), legend: { position: 'bottom' } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'seconds since start' } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'per second' } },
          y1: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'TTFT p99 (ms)' } },
        },
      },
    },
  };
}

function busiestFirst(groups: Record<string, GroupSummary>): Array<[string, GroupSummary]> {
  return Object.entries(groups).sort(([an, a], [bn, b]) => b.requests - a.requests || (an < bn ? -1 : 1));
}

export function breakdownChart(dim: string, groups: Record<string, GroupSummary>): ChartSpec | null {
  const entries = busiestFirst(groups);
  if (entries.length === 0) return null;
  return {
    id: `chart-by-${dim}`,
    kind: 'bar',
    unit: 'requests',
    unit1: 'ms',
    config: {
      type: 'bar',
      data: {
        labels: entries.map(([name]) => name),
        datasets: [
          { label: 'ok', data: entries.map(([, g]) => g.requests - g.errors), backgroundColor: GREEN, stack: 'requests', order: 2 },
          { label: 'errors', data: entries.map(([, g]) => g.errors), backgroundColor: RED, stack: 'requests', order: 2 },
          { label: 'TTFT p99', type: 'line', data: entries.map(([, g]) => g.ttft_p99_ms), yAxisID: 'y1', borderColor: color(4), backgroundColor: color(4), pointRadius: 4, borderWidth: 0, order: 1 },
        ],
      },
      options: {
        plugins: { title: chartTitle(`By ${dim}: requests and p99 TTFT`), legend: { position: 'bottom' } },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'requests' } },
          y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'TTFT p99 (ms)' } },
        },
      },
    },
  };
}

/** Where the money went: served, spent on failed attempts, unexplained, and what the cache saved. */
export function costChart(s: Summary): ChartSpec {
  const c = s.cost;
  const rows: Array<[string, number | null, string]> = [
    ['served answers (cost_usd)', c.totalUsd, color(0)],
    ['failed attempts (ledger)', c.failedAttemptsUsd, RED],
    ['unexplained difference', c.unexplainedUsd !== null && Math.abs(c.unexplainedUsd) >= 0.005 ? c.unexplainedUsd : null, color(8)],
    ['saved by cache (estimate)', c.savedByCache.usd, GREEN],
  ];
  const shown = rows.filter(([, v]) => v !== null);
  return {
    id: 'chart-cost',
    kind: 'bar',
    unit: 'USD',
    config: {
      type: 'bar',
      data: {
        labels: shown.map(([l]) => l),
        datasets: [{ label: 'USD', data: shown.map(([, v]) => v), backgroundColor: shown.map(([, , col]) => col) }],
      },
      options: {
        indexAxis: 'y',
        plugins: { title: chartTitle('Cost: served, wasted on failed attempts, saved by cache'), legend: { display: false } },
        scales: { x: { beginAtZero: true, title: { display: true, text: 'USD' } } },
      },
    },
  };
}

/** Cost by provider: what the answers cost (requests) beside what the ledger billed (every attempt). */
export function costByProviderChart(s: Summary): ChartSpec | null {
  const requests = new Map(Object.entries(s.breakdowns.provider).map(([k, g]) => [k, g.costUsd]));
  const ledger = new Map<string, number>();
  for (const [endpoint, e] of Object.entries(s.upstream?.byEndpoint ?? {})) {
    const provider = endpoint.split('/')[0] ?? endpoint;
    ledger.set(provider, (ledger.get(provider) ?? 0) + e.costUsd);
  }
  const names = [...new Set([...requests.keys(), ...ledger.keys()])].filter((n) => (requests.get(n) ?? 0) > 0 || (ledger.get(n) ?? 0) > 0).sort();
  if (names.length === 0) return null;
  const datasets = [{ label: 'answers (cost_usd)', data: names.map((n) => requests.get(n) ?? 0), backgroundColor: color(0) }];
  if (s.upstream) datasets.push({ label: 'ledger (every attempt)', data: names.map((n) => ledger.get(n) ?? 0), backgroundColor: color(3) });
  return {
    id: 'chart-cost-provider',
    kind: 'bar',
    unit: 'USD',
    config: {
      type: 'bar',
      data: { labels: names, datasets },
      options: {
        plugins: { title: chartTitle('Cost by provider'), legend: { position: 'bottom' } },
        scales: { y: { beginAtZero: true, title: { display: true, text: 'USD' } } },
      },
    },
  };
}

/** Requests by cache outcome (miss, exact, semantic), or hits against misses when untagged. */
export function cacheChart(s: Summary): ChartSpec | null {
  let entries = Object.entries(s.breakdowns.cache)
    .filter(([, g]) => g.requests > 0)
    .map(([k, g]) => [k, g.requests] as const);
  if (entries.length === 0 && s.cache.lookups > 0) {
    entries = [
      ['hit', s.cache.hits],
      ['miss', s.cache.lookups - s.cache.hits],
    ];
  }
  if (entries.length === 0) return null;
  return {
    id: 'chart-cache',
    kind: 'doughnut',
    unit: 'requests',
    config: {
      type: 'doughnut',
      data: {
        labels: entries.map(([k]) => k),
        datasets: [{ label: 'requests', data: entries.map(([, n]) => n), backgroundColor: entries.map((_, i) => color(i)) }],
      },
      options: { plugins: { title: chartTitle('Requests by cache outcome'), legend: { position: 'bottom' } } },
    },
  };
}

export function reportCharts(s: Summary): ChartSpec[] {
  const charts: Array<ChartSpec | null> = [
    latencyDistributionChart(s),
    timelineChart(s),
    ...BREAKDOWN_DIMS.map((d) => breakdownChart(d, s.breakdowns[d])),
    costChart(s),
    costByProviderChart(s),
    cacheChart(s),
  ];
  return charts.filter((c): c is ChartSpec => c !== null);
}
