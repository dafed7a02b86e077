/**
 * Pure: summary → Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. Short on
 * purpose: headline, latency, cost, breakdowns, thresholds, and problems only when there are any.
 */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtSeconds, fmtUsd, sameToTheCent } from './format.js';
import { describeInterrupted } from './interrupted.js';
import { qualityRows } from './quality-rows.js';
import { regionsMarkdown } from './render-regions.js';
import type { GroupSummary, LatencyStats, Summary } from './summary-schema.js';

/** Text safe inside a table cell: no pipes, no line breaks, no HTML. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A code span: shown literally (no HTML, no entities), so only line breaks, backticks and table pipes need care. */
function code(text: string, inTable = true): string {
  const t = text.replace(/\r?\n/g, ' ').replace(/`/g, "'");
  return `\`${inTable ? t.replace(/\|/g, '\\|') : t}\``;
}

function table(head: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const sep = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function headline(s: Summary): string {
  const t = s.totals;
  const title = `## stormlab · ${cell(s.run.spec ?? 'run')}`;
  const failed = s.thresholds.filter((x) => !x.ok).length;
  const verdict =
    s.thresholds.length === 0 ? '' : failed === 0 ? ` — ✓ ${s.thresholds.length} thresholds passed` : ` — ✗ ${failed} of ${s.thresholds.length} thresholds crossed`;
  const rate = t.rps === null ? '' : ` (${fmtNum(Math.round(t.rps * 10) / 10)}/s)`;
  const figures = [
    `**${fmtInt(t.requests)} requests** in ${fmtSeconds(s.run.durationS)}${rate}`,
    `**${fmtPct(t.errorRate)} errors** (${fmtInt(t.errors)})`,
    `**${fmtInt(t.dropped)} dropped**`,
    `**${fmtUsd(s.cost.totalUsd)}** (${fmtUsd(s.cost.per1kUsd)} per 1k requests)`,
  ];
  const meta = [
    s.run.driver ? `${s.run.driver} driver` : null,
    s.run.seed !== null ? `seed ${s.run.seed}` : null,
    s.run.target ? `target ${code(s.run.target, false)}` : null,
    s.run.startedAt ? `started ${s.run.startedAt}` : null,
  ].filter((x): x is string => x !== null);
  const warning = s.run.interrupted ? ['', `> ⚠ **${cell(describeInterrupted(s.run.interrupted))}**`] : [];
  const lines = [`${title}${verdict}`, ...warning, '', figures.join(' · '), ...(meta.length ? ['', meta.join(' · ')] : [])];
  return lines.join('\n');
}

function ttftDefinition(s: Summary): string {
  switch (s.run.ttftDefinition) {
    case 'first-content-chunk':
      return 'TTFT is measured from the intended start to the first content-bearing chunk.';
    case 'first-byte':
      return 'TTFT is measured to the **first response byte** (stock k6 cannot see stream chunks), so it can read lower than a content TTFT.';
    default:
      return 'TTFT definition not recorded (no run.json): first content-bearing chunk for the native driver, first byte for stock k6.';
  }
}

function latency(s: Summary): string {
  const rows: Array<[string, LatencyStats, boolean]> = [
    ['TTFT', s.latency.ttft_ms, true],
    ['E2E', s.latency.e2e_ms, true],
    ['ITL', s.latency.itl_ms, true],
    ['queue', s.latency.queue_ms, false],
    ['schedule lag', s.latency.schedule_lag_ms, false],
  ];
  const body = rows
    .filter(([, l, always]) => always || l.count > 0)
    .map(([name, l]) => [name, fmtInt(l.count), fmtMs(l.p50), fmtMs(l.p90), fmtMs(l.p99), fmtMs(l.p999), fmtMs(l.max)]);
  return [
    '### Latency',
    '',
    table(['', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], ['l', 'r', 'r', 'r', 'r', 'r', 'r'], body),
    '',
    ttftDefinition(s),
  ].join('\n');
}

/** The ledger against the requests' cost: equal, explained by failed attempts, or a difference shown. */
export function reconciliation(c: Summary['cost']): string {
  if (c.ledgerUsd === null) return '— (no ledger.ndjson)';
  const d = c.differenceUsd ?? c.ledgerUsd - c.totalUsd;
  const failed = c.failedAttemptsUsd ?? 0;
  const unexplained = c.unexplainedUsd ?? d;
  if (Math.abs(d) < 1e-9 || (failed === 0 && sameToTheCent(c.ledgerUsd, c.totalUsd))) return `${fmtUsd(c.ledgerUsd)} ✓ equal to the cent`;
  if (failed > 0 && sameToTheCent(unexplained, 0)) return `${fmtUsd(c.ledgerUsd)} ✓ = requests + ${fmtUsd(failed)} spent on failed attempts`;
  const base = `${fmtUsd(c.ledgerUsd)} ✗ ${fmtUsd(Math.abs(d))} ${d > 0 ? 'more' : 'less'} than the requests' cost`;
  return failed > 0 ? `${base} (${fmtUsd(failed)} spent on failed attempts, ${fmtUsd(unexplained)} unexplained)` : base;
}

export function savedByCacheText(c: Summary['cost']): string {
  const s = c.savedByCache;
  return s.usd === null ? `unknown (${s.basis.replace(/^unknown: /, '')})` : fmtUsd(s.usd);
}

/** The providers' prompt caches from the ledger: cached input tokens, their share of input, and the saving. */
export function promptCacheText(s: Summary): string {
  const u = s.upstream;
  if (!u) return '— (no ledger.ndjson)';
  if (u.cachedTokensIn === 0 && u.cacheWriteTokensIn === 0) return 'no cached input tokens';
  const share = u.tokensIn > 0 ? ` (${fmtPct(u.cachedTokensIn / u.tokensIn)} of input)` : '';
  const writes = u.cacheWriteTokensIn > 0 ? `, ${fmtInt(u.cacheWriteTokensIn)} written` : '';
  return `${fmtInt(u.cachedTokensIn)} cached input tokens${share}${writes}, saved ${fmtUsd(u.cacheSavedUsd)}`;
}

export function falseHitText(cache: Summary['cache']): string {
  if (cache.falseHits === null) return 'n/a (no intent tags in the samples)';
  return `${fmtPct(cache.falseHitRate)} (${fmtInt(cache.falseHits)} of ${fmtInt(cache.falseHitChecked)} checked hits)`;
}

function cost(s: Summary): string {
  const c = s.cost;
  const rows = [
    ['total (cost_usd of the requests)', fmtUsd(c.totalUsd)],
    ['per 1k requests', fmtUsd(c.per1kUsd)],
    ['upstream ledger (every attempt)', cell(reconciliation(c))],
  ];
  if (c.failedAttemptsUsd !== null) {
    const calls = s.upstream?.failedCalls ?? 0;
    rows.push([`spent on failed attempts (${fmtInt(calls)} call${calls === 1 ? '' : 's'})`, fmtUsd(c.failedAttemptsUsd)]);
  }
  rows.push(['saved by cache (estimate)', cell(savedByCacheText(c))]);
  rows.push(["providers' prompt caches (ledger)", cell(promptCacheText(s))]);
  if (c.gatewayUsd !== null) rows.push(['gateway cost counter (metrics.prom)', fmtUsd(c.gatewayUsd)]);
  rows.push(['tokens in / out', `${fmtInt(s.tokens.in)} / ${fmtInt(s.tokens.out)}`]);
  const cache = `Cache: **${fmtPct(s.cache.hitRate)}** hit rate (${fmtInt(s.cache.hits)} of ${fmtInt(s.cache.lookups)} lookups), false hits ${falseHitText(s.cache)}`;
  const a = s.attempts;
  const attempts =
    a.mean === null ? '' : ` · Attempts: mean ${fmtNum(a.mean)}, max ${fmtNum(a.max)}, ${fmtInt(a.retried)} requests retried`;
  return ['### Cost', '', table(['', ''], ['l', 'r'], rows), '', `${cache}${attempts}`].join('\n');
}

function quality(s: Summary): string {
  const q = s.quality;
  if (!q) return '';
  const rows = qualityRows(q).map((r) => [
    r.dim === 'all' ? 'all requests' : `${r.dim} ${code(r.name)}`,
    fmtPct(r.a.share),
    `${fmtInt(r.a.adequate)} / ${fmtInt(r.a.judged)}`,
    fmtInt(r.a.unjudged),
  ]);
  return [
    '### Answer quality (the mock fleet’s verdicts)',
    '',
    table(['', 'adequate', 'adequate / judged', 'unjudged'], ['l', 'r', 'r', 'r'], rows),
    '',
    `<sub>${cell(q.basis)}.</sub>`,
  ].join('\n');
}

function chaos(s: Summary): string {
  const c = s.chaos;
  if (!c || (c.events.length === 0 && c.badLines === 0)) return '';
  const shown = c.events.slice(0, 20);
  const rows = shown.map((e) => [`${fmtNum(e.t)} s`, e.event === 'start' ? '▶ start' : '■ stop', code(e.fault), code(e.id), cell(e.scope)]);
  const more = c.events.length + c.dropped - shown.length;
  const notes = [
    more > 0 ? `… ${fmtInt(more)} more events.` : '',
    c.badLines > 0 ? `> ⚠ ${fmtInt(c.badLines)} chaos log lines could not be read and were skipped.` : '',
  ].filter(Boolean);
  return [`### Chaos events (${fmtInt(c.events.length + c.dropped)})`, '', table(['at', 'event', 'fault', 'id', 'scope'], ['r', 'l', 'l', 'l', 'l'], rows), ...notes.flatMap((n) => ['', n])].join('\n');
}

function gateway(s: Summary): string {
  const g = s.gateway;
  if (!g || g.requests === null) return '';
  const attempts = Object.entries(g.attempts)
    .map(([k, n]) => `${code(k, false)} × ${fmtInt(n)}`)
    .join(' · ');
  const parts = [
    `Gateway (metrics.prom): ${fmtInt(g.requests)} requests`,
    g.failovers !== null ? `${fmtInt(g.failovers)} failovers` : '',
    g.truncations !== null ? `${fmtInt(g.truncations)} truncated streams` : '',
    attempts ? `upstream attempts ${attempts}` : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

function breakdown(dim: string, groups: Record<string, GroupSummary>): string {
  // the queue columns only when the gateway reported a pacing-queue wait (x-gateway-queue-ms)
  const queued = Object.values(groups).some((g) => g.queue_p99_ms !== null);
  const rows = Object.entries(groups)
    .sort(([an, a], [bn, b]) => b.requests - a.requests || (an < bn ? -1 : 1))
    .map(([name, g]) => [
      code(name),
      fmtInt(g.requests),
      fmtInt(g.errors),
      fmtPct(g.errorRate),
      fmtMs(g.ttft_p50_ms),
      fmtMs(g.ttft_p99_ms),
      fmtMs(g.e2e_p50_ms),
      fmtMs(g.e2e_p99_ms),
      ...(queued ? [fmtMs(g.queue_p50_ms), fmtMs(g.queue_p99_ms)] : []),
      fmtUsd(g.costUsd),
    ]);
  const head = [dim, 'requests', 'errors', 'error rate', 'TTFT p50', 'TTFT p99', 'E2E p50', 'E2E p99'];
  if (queued) head.push('queue p50', 'queue p99');
  head.push('cost');
  return [`#### By ${dim}`, '', table(head, ['l', ...head.slice(1).map(() => 'r' as const)], rows)].join('\n');
}

function breakdowns(s: Summary): string {
  const b = s.breakdowns;
  const parts: string[] = [];
  for (const dim of ['provider', 'region', 'class'] as const) if (Object.keys(b[dim]).length > 0) parts.push(breakdown(dim, b[dim]));
  for (const dim of ['model', 'cache'] as const) if (Object.keys(b[dim]).length > 1) parts.push(breakdown(dim, b[dim]));
  return parts.length ? ['### Breakdowns', '', parts.join('\n\n')].join('\n') : '';
}

function counts(label: string, rec: Record<string, number>, limit = 12): string {
  const entries = Object.entries(rec);
  if (entries.length === 0) return '';
  const shown = entries.slice(0, limit).map(([k, n]) => `${code(k, false)} × ${fmtInt(n)}`);
  const more = entries.length > limit ? ` · … ${entries.length - limit} more` : '';
  return `${label}: ${shown.join(' · ')}${more}`;
}

function statuses(s: Summary): string {
  const lines = [counts('Statuses', s.statuses), counts('Errors', s.errors)].filter(Boolean);
  return lines.length ? lines.join('  \n') : '';
}

function upstream(s: Summary): string {
  const u = s.upstream;
  if (!u) return '';
  const rows = Object.entries(u.byEndpoint).map(([name, e]) => [
    code(name),
    fmtInt(e.calls),
    fmtInt(e.ok),
    fmtInt(e.errors),
    Object.entries(e.statuses)
      .map(([st, n]) => `${st}×${fmtInt(n)}`)
      .join(' '),
    fmtUsd(e.costUsd),
  ]);
  const head = `### Upstream calls (ledger: ${fmtInt(u.calls)} calls, retries and failovers included)`;
  return [head, '', table(['endpoint', 'calls', 'ok', 'errors', 'statuses', 'cost'], ['l', 'r', 'r', 'r', 'l', 'r'], rows)].join('\n');
}

function thresholds(s: Summary): string {
  if (s.thresholds.length === 0) return '';
  const rows = s.thresholds.map((t) => [t.ok ? '✓' : '✗', code(t.key), code(t.threshold), t.observed === null ? 'no samples' : fmtNum(t.observed)]);
  return ['### Thresholds', '', table(['', 'metric', 'threshold', 'observed'], ['l', 'l', 'l', 'r'], rows)].join('\n');
}

function ingest(s: Summary): string {
  const i = s.ingest;
  const out: string[] = [];
  if (i.badLines > 0) {
    const where = i.badLineSamples.map((b) => `line ${b.line} (${cell(b.reason)})`).join(', ');
    const more = i.badLines > i.badLineSamples.length ? ', …' : '';
    out.push(`> ⚠ ${fmtInt(i.badLines)} of ${fmtInt(i.lines)} sample lines could not be read and were skipped: ${where}${more}`);
  }
  if (s.upstream && s.upstream.badLines > 0) out.push(`> ⚠ ${fmtInt(s.upstream.badLines)} ledger lines could not be read and were skipped.`);
  if (i.clampedValues > 0) out.push(`> ⚠ ${fmtInt(i.clampedValues)} values fell outside 0 ms … 1 h and were recorded at the edge of the range.`);
  const unknown = Object.entries(i.unknownMetrics);
  if (unknown.length > 0) {
    const names = unknown.slice(0, 8).map(([k]) => code(k, false));
    out.push(`<sub>Ignored metrics not defined by stormlab: ${names.join(', ')}${unknown.length > 8 ? ', …' : ''}.</sub>`);
  }
  if (out.length === 0) return '';
  return (out.some((l) => l.startsWith('>')) ? ['### Ingest problems', ...out] : out).join('\n\n');
}

export function renderMarkdown(s: Summary): string {
  const sections = [headline(s), latency(s), cost(s), quality(s), breakdowns(s), regionsMarkdown(s), statuses(s), upstream(s), gateway(s), chaos(s), thresholds(s), ingest(s)];
  return `${sections.filter((x) => x !== '').join('\n\n')}\n`;
}
