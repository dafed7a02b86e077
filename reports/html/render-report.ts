/**
 * Pure: summary → index.html, one self-contained file that opens offline: headline figures,
 * the HDR latency distribution, a timeline with chaos faults marked, breakdowns, cost (with the
 * ledger reconciliation), cache, answer quality, upstream calls, chaos events, thresholds and
 * ingest problems.
 */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtSeconds, fmtUsd } from '../format.js';
import { describeInterrupted } from '../interrupted.js';
import { qualityRows } from '../quality-rows.js';
import { falseHitText, promptCacheText, reconciliation, savedByCacheText } from '../render-markdown.js';
import { regionsHtml } from '../render-regions.js';
import type { GroupSummary, LatencyStats, Summary } from '../summary-schema.js';
import type { HtmlAssets } from './assets.js';
import type { ChartSpec } from './chart-spec.js';
import { esc, renderPage } from './page.js';
import { BREAKDOWN_DIMS, reportCharts } from './report-charts.js';
import { canvas, card, codeCell, htmlTable, section } from './tables.js';

function has(charts: ChartSpec[], id: string): boolean {
  return charts.some((c) => c.id === id);
}

function header(s: Summary): string {
  const failed = s.thresholds.filter((t) => !t.ok).length;
  const verdict =
    s.thresholds.length === 0
      ? ''
      : failed === 0
        ? `<p class="good">✓ ${s.thresholds.length} thresholds passed</p>`
        : `<p class="bad">✗ ${failed} of ${s.thresholds.length} thresholds crossed</p>`;
  const meta = [
    s.run.driver ? `${s.run.driver} driver` : null,
    s.run.seed !== null ? `seed ${s.run.seed}` : null,
    s.run.target ? `target ${s.run.target}` : null,
    s.run.startedAt ? `started ${s.run.startedAt}` : null,
    `${fmtSeconds(s.run.durationS)}`,
  ].filter((x): x is string => x !== null);
  const warning = s.run.interrupted ? `<p class="warn">⚠ ${esc(describeInterrupted(s.run.interrupted))}</p>\n` : '';
  const title = `<h1>stormlab · ${esc(s.run.spec ?? 'run')}</h1>`;
  return `${title}\n<div class="meta">${esc(meta.join(' · '))}</div>\n${warning}${verdict}`;
}

function cards(s: Summary): string {
  const t = s.totals;
  return `<div class="cards">${[
    card('requests', fmtInt(t.requests)),
    card('requests/s', t.rps === null ? '—' : fmtNum(Math.round(t.rps * 10) / 10)),
    card('error rate', fmtPct(t.errorRate), (t.errorRate ?? 0) > 0 ? 'bad' : ''),
    card('dropped starts', fmtInt(t.dropped), t.dropped > 0 ? 'warn' : ''),
    card('TTFT p99', fmtMs(s.latency.ttft_ms.p99)),
    card('E2E p99', fmtMs(s.latency.e2e_ms.p99)),
    card('cost', fmtUsd(s.cost.totalUsd)),
    card('cost per 1k requests', fmtUsd(s.cost.per1kUsd)),
    card('cache hit rate', fmtPct(s.cache.hitRate)),
    card('cache false-hit rate', s.cache.falseHitRate === null ? 'n/a' : fmtPct(s.cache.falseHitRate)),
  ].join('')}</div>`;
}

function ttftNote(s: Summary): string {
  switch (s.run.ttftDefinition) {
    case 'first-content-chunk':
      return 'TTFT: from the intended start to the first content-bearing chunk.';
    case 'first-byte':
      return 'TTFT: to the first response byte (stock k6 cannot see stream chunks), so it can read lower than a content TTFT.';
    default:
      return 'TTFT definition not recorded (no run.json).';
  }
}

function latency(s: Summary, charts: ChartSpec[]): string {
  const rows: Array<[string, LatencyStats]> = [
    ['TTFT', s.latency.ttft_ms],
    ['E2E', s.latency.e2e_ms],
    ['ITL', s.latency.itl_ms],
    ['queue', s.latency.queue_ms],
    ['schedule lag', s.latency.schedule_lag_ms],
  ];
  const table = htmlTable(
    ['', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean'],
    rows.filter(([name, l]) => l.count > 0 || ['TTFT', 'E2E', 'ITL'].includes(name)).map(([name, l]) => [esc(name), fmtInt(l.count), ...[l.p50, l.p90, l.p99, l.p999, l.max, l.mean].map((v) => esc(fmtMs(v)))]),
  );
  return section('Latency', has(charts, 'chart-latency') ? canvas('chart-latency', true) : '', table, `<p class="note">${esc(ttftNote(s))} Percentiles come from HDR histograms (3 significant digits), merged across runners, never averaged.</p>`);
}

/** the queue columns only when the gateway reported a pacing-queue wait (x-gateway-queue-ms) */
const hasQueue = (groups: Record<string, GroupSummary>): boolean => Object.values(groups).some((g) => g.queue_p99_ms !== null);

function groupRows(groups: Record<string, GroupSummary>): string[][] {
  const queued = hasQueue(groups);
  return Object.entries(groups)
    .sort(([an, a], [bn, b]) => b.requests - a.requests || (an < bn ? -1 : 1))
    .map(([name, g]) => {
      const ms = [g.ttft_p50_ms, g.ttft_p99_ms, g.e2e_p50_ms, g.e2e_p99_ms, ...(queued ? [g.queue_p50_ms, g.queue_p99_ms] : [])];
      return [codeCell(name), fmtInt(g.requests), fmtInt(g.errors), fmtPct(g.errorRate), ...ms.map((v) => esc(fmtMs(v))), esc(fmtUsd(g.costUsd))];
    });
}

function groupHead(dim: string, groups: Record<string, GroupSummary>): string[] {
  const queue = hasQueue(groups) ? ['queue p50', 'queue p99'] : [];
  return [esc(dim), 'requests', 'errors', 'error rate', 'TTFT p50', 'TTFT p99', 'E2E p50', 'E2E p99', ...queue, 'cost'];
}

function breakdowns(s: Summary, charts: ChartSpec[]): string {
  const parts: string[] = [];
  for (const dim of BREAKDOWN_DIMS) {
    const groups = s.breakdowns[dim];
    if (Object.keys(groups).length === 0) continue;
    parts.push(
      `<div><h3>By ${esc(dim)}</h3>${has(charts, `chart-by-${dim}`) ? canvas(`chart-by-${dim}`) : ''}${htmlTable(groupHead(dim, groups), groupRows(groups))}</div>`,
    );
  }
  return parts.length ? section('Breakdowns', `<div class="grid2">${parts.join('\n')}</div>`) : section('Breakdowns', '<p class="empty">No tagged requests.</p>');
}

function cost(s: Summary, charts: ChartSpec[]): string {
  const c = s.cost;
  const rows = [
    ['total (cost_usd of the requests)', fmtUsd(c.totalUsd)],
    ['per 1k requests', fmtUsd(c.per1kUsd)],
    ['upstream ledger (every attempt)', reconciliation(c)],
    ['spent on failed attempts', c.failedAttemptsUsd === null ? '— (no ledger)' : `${fmtUsd(c.failedAttemptsUsd)} (${fmtInt(s.upstream?.failedCalls ?? 0)} of ${fmtInt(s.upstream?.calls ?? 0)} upstream calls)`],
    ['saved by cache (estimate)', savedByCacheText(c)],
    ["providers' prompt caches (ledger)", promptCacheText(s)],
    ['gateway cost counter (metrics.prom)', c.gatewayUsd === null ? '—' : fmtUsd(c.gatewayUsd)],
    ['tokens in / out', `${fmtInt(s.tokens.in)} / ${fmtInt(s.tokens.out)}`],
  ].map(([k, v]) => [esc(k as string), esc(v as string)]);
  const cacheRows = [
    ['lookups', fmtInt(s.cache.lookups)],
    ['hits', fmtInt(s.cache.hits)],
    ['hit rate', fmtPct(s.cache.hitRate)],
    ['false hits', falseHitText(s.cache)],
  ].map(([k, v]) => [esc(k as string), esc(v as string)]);
  const chartsHtml = ['chart-cost', 'chart-cost-provider', 'chart-cache'].filter((id) => has(charts, id)).map((id) => canvas(id));
  const basis = `<p class="note">Saved by cache: ${esc(c.savedByCache.basis)}. The gateway reports the serving attempt's cost on each answer; the ledger bills every upstream call, so failed attempts show as the difference.</p>`;
  return section(
    'Cost and cache',
    `<div class="grid2">${chartsHtml.join('\n')}</div>`,
    `<div class="grid2"><div><h3>Cost</h3>${htmlTable(['', ''], rows)}</div><div><h3>Cache</h3>${htmlTable(['', ''], cacheRows)}</div></div>`,
    basis,
  );
}

function quality(s: Summary): string {
  const q = s.quality;
  if (!q) return '';
  const rows = qualityRows(q).map((r) => [
    r.dim === 'all' ? 'all requests' : `${esc(r.dim)} ${codeCell(r.name)}`,
    esc(fmtPct(r.a.share)),
    `${fmtInt(r.a.adequate)} / ${fmtInt(r.a.judged)}`,
    fmtInt(r.a.unjudged),
  ]);
  const note = `<p class="note">The mock fleet judges every answer (prompt difficulty against model capability); the gateway cannot see it. ${esc(q.basis)}.</p>`;
  return section('Answer quality', htmlTable(['', 'adequate', 'adequate / judged', 'unjudged'], rows), note);
}

function upstream(s: Summary): string {
  const u = s.upstream;
  const parts: string[] = [];
  if (u) {
    const rows = Object.entries(u.byEndpoint).map(([name, e]) => [
      codeCell(name),
      fmtInt(e.calls),
      fmtInt(e.ok),
      fmtInt(e.errors),
      esc(Object.entries(e.statuses).map(([st, n]) => `${st}×${n}`).join(' ')),
      esc(fmtUsd(e.costUsd)),
    ]);
    parts.push(`<p class="note">Ledger: ${fmtInt(u.calls)} upstream calls, retries and failovers included.</p>`, htmlTable(['endpoint', 'calls', 'ok', 'errors', 'statuses', 'cost'], rows, [0, 4]));
  }
  const g = s.gateway;
  if (g && g.requests !== null) {
    const attempts = Object.entries(g.attempts).map(([k, n]) => `${k} × ${fmtInt(n)}`).join(' · ');
    parts.push(`<p>Gateway (metrics.prom): ${fmtInt(g.requests)} requests · ${fmtInt(g.failovers ?? 0)} failovers · ${fmtInt(g.truncations ?? 0)} truncated streams${attempts ? ` · attempts ${esc(attempts)}` : ''}</p>`);
  }
  return section('Upstream', ...parts);
}

function chaos(s: Summary): string {
  const c = s.chaos;
  if (!c) return '';
  if (c.events.length === 0) return section('Chaos events', `<p class="empty">No chaos events.${c.badLines ? ` ${c.badLines} unreadable lines.` : ''}</p>`);
  const rows = c.events.map((e) => [`${fmtNum(e.t)} s`, e.event === 'start' ? '▶ start' : '■ stop', codeCell(e.fault), codeCell(e.id), esc(e.scope)]);
  const notes = [c.dropped ? `${fmtInt(c.dropped)} more events not kept.` : '', c.badLines ? `⚠ ${fmtInt(c.badLines)} chaos log lines could not be read.` : ''].filter(Boolean);
  return section('Chaos events', htmlTable(['at', 'event', 'fault', 'id', 'scope'], rows, [1, 2, 3, 4]), notes.length ? `<p class="note">${esc(notes.join(' '))}</p>` : '');
}

function thresholds(s: Summary): string {
  if (s.thresholds.length === 0) return '';
  const rows = s.thresholds.map((t) => [t.ok ? '<span class="good">✓</span>' : '<span class="bad">✗</span>', codeCell(t.key), codeCell(t.threshold), t.observed === null ? 'no samples' : esc(fmtNum(t.observed))]);
  return section('Thresholds', htmlTable(['', 'metric', 'threshold', 'observed'], rows, [0, 1, 2]));
}

function statuses(s: Summary): string {
  const line = (label: string, rec: Record<string, number>) =>
    Object.keys(rec).length ? `<p>${esc(label)}: ${Object.entries(rec).map(([k, n]) => `${codeCell(k)} × ${fmtInt(n)}`).join(' · ')}</p>` : '';
  return section('Statuses and errors', line('Statuses', s.statuses), line('Errors', s.errors));
}

function ingest(s: Summary): string {
  const i = s.ingest;
  const out: string[] = [];
  if (i.badLines > 0) {
    const where = i.badLineSamples.map((b) => `line ${b.line} (${b.reason})`).join(', ');
    out.push(`<p class="warn">⚠ ${fmtInt(i.badLines)} of ${fmtInt(i.lines)} sample lines could not be read and were skipped: ${esc(where)}${i.badLines > i.badLineSamples.length ? ', …' : ''}</p>`);
  }
  if (s.upstream && s.upstream.badLines > 0) out.push(`<p class="warn">⚠ ${fmtInt(s.upstream.badLines)} ledger lines could not be read and were skipped.</p>`);
  if (i.clampedValues > 0) out.push(`<p class="warn">⚠ ${fmtInt(i.clampedValues)} values fell outside 0 ms … 1 h and were recorded at the edge of the range.</p>`);
  if (i.sources.length > 1) {
    out.push(htmlTable(['input', 'lines', 'points', 'bad lines'], i.sources.map((x) => [codeCell(x.name), fmtInt(x.lines), fmtInt(x.points), fmtInt(x.badLines)])));
  }
  const unknown = Object.keys(i.unknownMetrics);
  if (unknown.length) out.push(`<p class="note">Metrics not defined by stormlab, not reported: ${unknown.slice(0, 12).map(codeCell).join(', ')}${unknown.length > 12 ? ', …' : ''}</p>`);
  return section('Ingest', `<p class="note">${fmtInt(i.lines)} lines, ${fmtInt(i.points)} points.</p>`, ...out);
}

export function renderHtml(s: Summary, assets: HtmlAssets): string {
  const charts = reportCharts(s);
  const body = [
    header(s),
    cards(s),
    latency(s, charts),
    section('Timeline', has(charts, 'chart-timeline') ? canvas('chart-timeline', true) : ''),
    breakdowns(s, charts),
    regionsHtml(s),
    cost(s, charts),
    quality(s),
    upstream(s),
    chaos(s),
    thresholds(s),
    statuses(s),
    ingest(s),
    `<p class="note">stormlab summary version ${s.version}. Generated from the run directory; rebuild with <code>stormlab report</code>.</p>`,
  ].join('\n');
  return renderPage({ title: `stormlab · ${s.run.spec ?? 'run'}`, body, charts, assets });
}
