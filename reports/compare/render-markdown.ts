/**
 * Pure: a comparison → Markdown (a pull-request comment): the figures of every run with deltas
 * against the first, breakdowns by provider, region and class, and the differences in spec and
 * config.
 */
import { fmtInt, fmtMs, fmtPct } from '../format.js';
import { cell } from '../render-markdown.js';
import type { Comparison, ConfigDiff } from './compare.js';
import { COMPARE_ROWS, deltaText } from './rows.js';

function table(head: string[], rows: string[][], leftCols = 1): string {
  const sep = head.map((_, i) => (i < leftCols ? '---' : '---:'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function figures(c: Comparison): string {
  const [ref] = c.runs;
  const head = ['', ...c.runs.map((r, i) => (i === 0 ? `${cell(r.name)} (reference)` : cell(r.name)))];
  const rows = COMPARE_ROWS.map((row) => {
    const refV = ref ? row.value(ref.summary) : null;
    return [
      row.label,
      ...c.runs.map((r, i) => {
        const v = row.value(r.summary);
        const d = i === 0 ? '' : deltaText(row, refV, v);
        return `${row.format(v)}${d ? ` (${d})` : ''}`;
      }),
    ];
  });
  return ['### Figures', '', table(head, rows), '', 'Deltas are against the first run; ✗ marks a change for the worse of 5% or more (1 point for rates), ✓ one for the better.'].join('\n');
}

function breakdown(c: Comparison, dim: 'provider' | 'region' | 'class'): string {
  const names = [...new Set(c.runs.flatMap((r) => Object.keys(r.summary.breakdowns[dim])))].sort();
  if (names.length === 0) return '';
  const rows = names.map((n) => [
    `\`${cell(n)}\``,
    ...c.runs.map((r) => {
      const g = r.summary.breakdowns[dim][n];
      return g ? `${fmtInt(g.requests)} · ${fmtPct(g.errorRate)} err · TTFT p99 ${fmtMs(g.ttft_p99_ms)}` : '—';
    }),
  ]);
  return [`#### By ${dim}`, '', table([dim, ...c.runs.map((r) => cell(r.name))], rows)].join('\n');
}

function configSection(diffs: ConfigDiff[]): string {
  if (diffs.length === 0) return '### Spec and config\n\nNo spec.json, gateway.json or fleet.json to compare (runs given as summary files).';
  const parts: string[] = [];
  for (const d of diffs) {
    const title = `**${d.file}**: ${cell(d.run)} vs the reference`;
    if (d.missing) parts.push(`${title} — missing in ${cell(d.missing)}`);
    else if (d.differences.length === 0) parts.push(`${title} — identical`);
    else {
      const rows = d.differences.map((x) => [`\`${cell(x.path)}\``, `\`${cell(x.a)}\``, `\`${cell(x.b)}\``]);
      parts.push([title, '', table(['path', 'reference', cell(d.run)], rows, 3), d.truncated ? '\n… more differences not shown.' : ''].join('\n'));
    }
  }
  return ['### Spec and config differences', '', parts.join('\n\n')].join('\n');
}

export function renderCompareMarkdown(c: Comparison): string {
  const head = `## stormlab compare · ${c.runs.map((r) => cell(r.name)).join(' vs ')}`;
  const b = ['provider', 'region', 'class'] as const;
  const breakdowns = b.map((d) => breakdown(c, d)).filter(Boolean);
  const sections = [head, figures(c), breakdowns.length ? ['### Breakdowns', '', breakdowns.join('\n\n')].join('\n') : '', configSection(c.configDiffs)];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}
