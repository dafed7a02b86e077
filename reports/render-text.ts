/** Pure: summary → a few plain lines for the terminal at the end of `stormlab run` / `stormlab report`. */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtSeconds, fmtUsd, sameToTheCent } from './format.js';
import { describeInterrupted } from './interrupted.js';
import type { LatencyStats, Summary } from './summary-schema.js';

function latencyLine(name: string, l: LatencyStats): string {
  if (l.count === 0) return `${name.padEnd(5)} no samples`;
  return `${name.padEnd(5)} p50 ${fmtMs(l.p50)} · p90 ${fmtMs(l.p90)} · p99 ${fmtMs(l.p99)} · max ${fmtMs(l.max)} (${fmtInt(l.count)})`;
}

export function renderTerminalSummary(s: Summary): string {
  const t = s.totals;
  const head = [
    s.run.spec ?? 'run',
    s.run.driver ? `${s.run.driver} driver` : null,
    fmtSeconds(s.run.durationS),
    s.run.interrupted ? 'INTERRUPTED' : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const rps = t.rps === null ? '' : ` (${fmtNum(Math.round(t.rps * 10) / 10)}/s)`;
  const lines = [
    head,
    ...(s.run.interrupted ? [`⚠ ${describeInterrupted(s.run.interrupted)}`] : []),
    `requests ${fmtInt(t.requests)}${rps} · errors ${fmtPct(t.errorRate)} (${fmtInt(t.errors)}) · dropped ${fmtInt(t.dropped)}`,
    latencyLine('TTFT', s.latency.ttft_ms) + (s.run.ttftDefinition === 'first-byte' ? ' [first byte]' : ''),
    latencyLine('E2E', s.latency.e2e_ms),
  ];
  let cost = `cost ${fmtUsd(s.cost.totalUsd)} (${fmtUsd(s.cost.per1kUsd)} per 1k)`;
  if (s.cost.ledgerUsd !== null) {
    cost += sameToTheCent(s.cost.ledgerUsd, s.cost.totalUsd) ? ' · ledger ✓ equal' : ` · ledger ${fmtUsd(s.cost.ledgerUsd)} ✗ differs`;
  }
  const cached = s.upstream?.cachedTokensIn ?? 0;
  if (cached > 0) cost += ` · prompt cache ${fmtInt(cached)} tokens, saved ${fmtUsd(s.upstream!.cacheSavedUsd)}`;
  lines.push(`${cost} · cache hit rate ${fmtPct(s.cache.hitRate)}`);
  const q = s.quality;
  if (q && q.requests.judged > 0) {
    const byClass = Object.entries(q.byClass).map(([c, a]) => `${c} ${fmtPct(a.share)}`);
    const classes = byClass.length > 1 ? ` (${byClass.slice(0, 4).join(' · ')}${byClass.length > 4 ? ' · …' : ''})` : '';
    lines.push(`adequate answers ${fmtPct(q.requests.share)} of ${fmtInt(q.requests.judged)} judged${classes}`);
  }
  for (const th of s.thresholds) {
    lines.push(`${th.ok ? '✓' : '✗'} ${th.key} ${th.threshold} (observed ${th.observed === null ? 'nothing' : fmtNum(th.observed)})`);
  }
  if (s.ingest.badLines > 0) lines.push(`⚠ ${fmtInt(s.ingest.badLines)} bad sample lines skipped (first: line ${s.ingest.badLineSamples[0]?.line ?? '?'})`);
  return lines.join('\n');
}
