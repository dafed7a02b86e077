/** Pure: a capacity report → Markdown for a ticket or a pull request. */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtUsd } from '../format.js';
import type { CapacityReport, ConfigResult, Projection } from './schema.js';

function table(head: string[], rows: string[][]): string {
  const sep = head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const STOP_TEXT: Record<ConfigResult['stop'], string> = {
  converged: 'bracketed within the tolerance',
  'max-rate': 'every step up to --max-rate met the SLO: the knee is above it',
  'time-budget': 'the time budget ran out before the bracket closed',
  'max-steps': 'the step limit was reached before the bracket closed',
  'below-min-rate': 'no rate down to the minimum met the SLO',
  interrupted: 'interrupted',
};

export function fmtRate(r: number | null): string {
  return r === null ? '—' : `${fmtNum(r)}/s`;
}

/** `8 s steps from 2/s, ×2 then bisecting to 5%` */
export function searchText(s: CapacityReport['search']): string {
  return `${fmtNum(s.stepS)} s steps from ${fmtNum(s.startRate)}/s, ×${fmtNum(s.factor)} then bisecting to ${fmtNum(s.tolerance * 100)}%`;
}

export function fmtHeadroom(h: number | null): string {
  if (h === null) return '—';
  return h >= 0 ? `+${(h * 100).toFixed(0)}%` : `${(h * 100).toFixed(0)}% (short)`;
}

function steps(c: ConfigResult): string {
  const rows = c.steps.map((s) => [
    `${fmtNum(s.rate)}/s${s.rerunOf ? ' (re-run)' : ''}`,
    fmtInt(s.requests),
    fmtMs(s.ttftP99Ms),
    fmtMs(s.e2eP99Ms),
    fmtPct(s.errorRate),
    fmtUsd(s.costPer1kUsd),
    s.upstream ? fmtMs(s.upstream.queueP99Ms) : '—',
    s.upstream ? `${s.upstream.rateLimited} / ${s.upstream.overloaded}` : '—',
    s.gatewayCpu ? fmtNum(Math.round(s.gatewayCpu.cores * 100) / 100) : '—',
    s.ok ? '✓' : `✗ ${s.objectives.filter((o) => !o.ok).map((o) => `${o.key} ${o.threshold}`).join(', ')}`,
  ]);
  return table(['rate', 'requests', 'TTFT p99', 'E2E p99', 'errors', 'cost / 1k', 'queue p99', '429 / 503·529', 'gw cores', 'SLO'], rows);
}

function projection(p: Projection): string {
  const lines = [
    `Profile: ${fmtInt(p.dailyRequests)} requests/day (mean ${fmtNum(Math.round(p.meanRps * 10) / 10)}/s), peak ${fmtNum(p.peakRps)}/s.`,
    '',
    table(
      ['', 'with the cache', 'without the cache'],
      [
        ['cost per 1k requests', fmtUsd(p.costPerRequestUsd * 1000), fmtUsd(p.costPerRequestNoCacheUsd * 1000)],
        ['daily cost', fmtUsd(p.dailyUsd), fmtUsd(p.dailyNoCacheUsd)],
        ['monthly cost (30 days)', fmtUsd(p.monthlyUsd), fmtUsd(p.monthlyNoCacheUsd)],
      ],
    ),
    '',
    `Cache hit rate measured: ${fmtPct(p.cacheHitRate)}. Headroom at the peak: **${fmtHeadroom(p.headroomAtPeak)}**; at the mean: ${fmtHeadroom(p.headroomAtMean)}` +
      (p.copiesForPeak !== null && p.copiesForPeak > 1 ? `; the peak needs ${p.copiesForPeak} copies of the tested setup.` : '.'),
  ];
  if (p.quotas.length > 0) {
    lines.push('', 'Provider quota needed at the peak (upstream calls, retries and failovers included; TPM = input + output tokens):', '');
    lines.push(
      table(
        ['upstream', 'RPM', 'TPM', 'RPM without cache', 'TPM without cache'],
        p.quotas.map((q) => [`\`${q.endpoint}\``, fmtInt(q.rpm), fmtInt(q.tpm), fmtInt(q.rpmNoCache), fmtInt(q.tpmNoCache)]),
      ),
    );
  }
  for (const n of p.notes) lines.push('', `> ${n}`);
  return lines.join('\n');
}

function config(c: ConfigResult, multi: boolean): string {
  const out = [multi ? `### ${c.name}` : '### Result'];
  const broke = c.firstFail !== null ? `; ${fmtRate(c.firstFail)} broke it` : '';
  out.push(`**Knee: ${fmtRate(c.knee)}** — the highest arrival rate that met the SLO${broke} (${STOP_TEXT[c.stop]}).`);
  if (c.limit) {
    out.push('', `**Limit: ${c.limit.cause}**`, '', ...c.limit.causes.map((x) => `- ${x.cause}: ${x.evidence}`));
  }
  for (const w of c.warnings) out.push('', `> ⚠ ${w}`);
  out.push('', steps(c));
  if (c.projection) out.push('', '#### Projection', '', projection(c.projection));
  return out.join('\n');
}

export function renderCapacityMarkdown(r: CapacityReport): string {
  const multi = r.configs.length > 1;
  const head = [
    `## stormlab capacity · ${r.spec}`,
    '',
    `SLO: \`${r.slo.text}\` (and no dropped starts) · ${searchText(r.search)}` +
      (r.target ? ` · target \`${r.target}\`` : ''),
  ];
  if (multi) {
    head.push('', table(['config', 'knee', 'first failing', 'limit', 'headroom at peak'], r.configs.map((c) => [
      `\`${c.name}\``, fmtRate(c.knee), fmtRate(c.firstFail), c.limit?.cause ?? '—', fmtHeadroom(c.projection?.headroomAtPeak ?? null),
    ])));
  }
  return [...head, '', ...r.configs.map((c) => config(c, multi)), ''].join('\n');
}
