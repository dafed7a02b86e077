/** Pure: a gate verdict → Markdown (for $GITHUB_STEP_SUMMARY or a pull-request comment). */
import { cell } from '../render-markdown.js';
import type { CheckResult, GateVerdict } from './evaluate.js';
import { GATE_METRICS } from './metrics.js';

const MARK = { pass: '✓', regression: '✗', noisy: '~', 'no-data': '·' } as const;

function fmtChange(r: CheckResult, x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  const m = GATE_METRICS[r.metric];
  if (r.mode === 'bound') return m.format(x);
  if (r.mode === 'relative') return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
  return m.formatDelta(x);
}

/** `+10%`, `+1.00 pts`, `+50.0 ms`, `≤ 5.00%`: the limit in the metric's own terms. */
export function limitText(r: CheckResult): string {
  const m = GATE_METRICS[r.metric];
  if (r.mode === 'relative') return r.limitText;
  if (r.mode === 'bound') return `${r.check === 'max' ? '≤' : '≥'} ${m.format(r.limit)}`;
  return m.formatDelta(r.limit);
}

function interval(r: CheckResult): string {
  return r.interval ? `${fmtChange(r, r.interval[0])} … ${fmtChange(r, r.interval[1])}` : '—';
}

function sentence(r: CheckResult, confidence: number): string {
  const pct = `${Math.round(confidence * 100)}%`;
  const what = r.mode === 'bound' ? `${fmtChange(r, r.change)}` : `a change of ${fmtChange(r, r.change)}`;
  switch (r.status) {
    case 'regression':
      return `✗ **${r.label}** regressed: ${what} (${pct} interval ${interval(r)}) is beyond the limit ${limitText(r)}.`;
    case 'noisy':
      return `~ **${r.label}**: ${what} crosses the limit ${limitText(r)}, but the ${pct} interval (${interval(r)}) does not lie beyond it: too noisy to fail. More repetitions would tell.`;
    case 'no-data':
      return `· **${r.label}**: no data on one side (e.g. no streamed requests, or no cache lookups); not checked.`;
    default:
      return '';
  }
}

/** How each checked metric is resampled within a run, metrics sharing a method named together. */
function withinText(v: GateVerdict): string {
  const byMethod = new Map<string, string[]>();
  for (const m of Object.values(GATE_METRICS)) {
    if (!v.results.some((r) => r.metric === m.key)) continue;
    byMethod.set(m.within, [...(byMethod.get(m.within) ?? []), m.label]);
  }
  return [...byMethod].map(([how, labels]) => `${labels.join(', ')}: ${how}`).join('; ');
}

export interface GateNames {
  baseline: string[];
  current: string[];
  /** one line per interrupted run (name: what it covered); such runs hold only part of their schedule */
  interrupted?: string[];
}

export function renderGateMarkdown(v: GateVerdict, names: GateNames): string {
  const failed = v.results.filter((r) => r.status === 'regression');
  const title = v.ok ? '## stormlab gate — ✓ pass' : `## stormlab gate — ✗ regression: ${[...new Set(failed.map((r) => r.label))].join(', ')}`;
  const pct = `${Math.round(v.confidence * 100)}%`;
  const runs = `Baseline: ${v.baselineRuns} run${v.baselineRuns === 1 ? '' : 's'} (${names.baseline.map((n) => `\`${cell(n)}\``).join(', ')}) · current: ${v.currentRuns} run${v.currentRuns === 1 ? '' : 's'} (${names.current.map((n) => `\`${cell(n)}\``).join(', ')}) · ${pct} bootstrap intervals, ${v.resamples} resamples, seed ${v.seed}`;
  const rows = v.results.map((r) => {
    const m = GATE_METRICS[r.metric];
    return `| ${MARK[r.status]} | ${r.label} | ${m.format(r.baseline)} | ${m.format(r.current)} | ${fmtChange(r, r.change)} | ${interval(r)} | ${cell(limitText(r))} |`;
  });
  const table = [`|  | metric | baseline | current | change | ${pct} interval | limit |`, '| --- | --- | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
  const notes = v.results.map((r) => sentence(r, v.confidence)).filter(Boolean);
  for (const line of names.interrupted ?? []) notes.unshift(`⚠ ${cell(line)}`);
  const single = v.baselineRuns < 2 || v.currentRuns < 2;
  const method = [
    '<details><summary>Method</summary>',
    '',
    `Each rule is a percentile bootstrap (${v.resamples} seeded resamples) of the change from the baseline to the current runs. Per resample, the runs of each side are drawn with replacement, and each drawn run's figure is redrawn with its requests resampled — ${withinText(v)}. A side's figure is the mean over its drawn runs. A rule fails only when its estimate and the whole ${pct} interval lie beyond the limit.`,
    single ? '\nWith a single run on a side, only its requests vary: run the scenario several times (`--current` and `--baseline` repeat) to account for run-to-run noise.' : '',
    '',
    '</details>',
  ].join('\n');
  return `${[title, runs, table, notes.join('\n\n'), method].filter(Boolean).join('\n\n')}\n`;
}
