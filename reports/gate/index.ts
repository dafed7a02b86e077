/**
 * The CI gate as an API (the `gate` command is a thin wrapper): load the baseline and current
 * runs (run directories or summary.json files), hold them against the rules, render the verdict.
 */
import { StormlabError } from '../../core/errors.js';
import { describeInterrupted } from '../interrupted.js';
import { loadRun, uniqueNames, type LoadedRun } from '../run-ref.js';
import { evaluateGate, type GateVerdict } from './evaluate.js';
import { renderGateMarkdown } from './render.js';
import { DEFAULT_RULES_FILE, loadGateRules, type GateRules } from './rules.js';

export { evaluateGate } from './evaluate.js';
export type { CheckKind, CheckResult, CheckStatus, GateVerdict } from './evaluate.js';
export { GATE_METRICS } from './metrics.js';
export type { GateMetric } from './metrics.js';
export { renderGateMarkdown } from './render.js';
export { DEFAULT_RULES_FILE, GATE_METRIC_KEYS, GateRulesSchema, loadGateRules } from './rules.js';
export type { GateMetricKey, GateRules, Limit, Rule } from './rules.js';

export interface GateOptions {
  /** summary.json files or run directories of the baseline (repetitions) */
  baseline: string[];
  /** run directories (or summary.json files) of the change under test (repetitions) */
  current: string[];
  /** a rules YAML; default reports/gate/default-rules.yaml */
  rules?: string;
  /** accept a baseline run that was interrupted (it covers only part of its schedule); refused by default */
  allowInterrupted?: boolean;
}

export interface GateResult {
  verdict: GateVerdict;
  rules: GateRules;
  markdown: string;
}

export async function runGate(opts: GateOptions): Promise<GateResult> {
  if (opts.baseline.length === 0) throw new StormlabError('SL_USAGE', 'the gate needs a baseline: --baseline <summary.json | run-dir> (repeat it for repetitions)');
  if (opts.current.length === 0) throw new StormlabError('SL_USAGE', 'the gate needs the runs to check: --current <run-dir> (repeat it for repetitions)');
  const rules = loadGateRules(opts.rules ?? DEFAULT_RULES_FILE);
  const baseline: LoadedRun[] = [];
  for (const p of opts.baseline) {
    const run = await loadRun(p, 'baseline');
    if (run.summary.run.interrupted && opts.allowInterrupted !== true) refuseInterrupted(p, run);
    baseline.push(run);
  }
  const current = [];
  for (const p of opts.current) current.push(await loadRun(p, 'current run'));
  const verdict = evaluateGate(
    baseline.map((r) => r.summary),
    current.map((r) => r.summary),
    rules,
  );
  const names = { baseline: uniqueNames(baseline), current: uniqueNames(current) };
  const interrupted = [
    ...baseline.map((r, i) => [`${names.baseline[i]} (baseline)`, r] as const),
    ...current.map((r, i) => [`${names.current[i]} (current)`, r] as const),
  ].flatMap(([name, r]) => {
    const i = r.summary.run.interrupted;
    return i ? [`${name}: ${describeInterrupted(i)}`] : [];
  });
  const markdown = renderGateMarkdown(verdict, { ...names, interrupted });
  return { verdict, rules, markdown };
}

function refuseInterrupted(path: string, run: LoadedRun): never {
  const what = describeInterrupted(run.summary.run.interrupted!);
  throw new StormlabError(
    'SL_BASELINE_INTERRUPTED',
    `baseline ${path} was interrupted, so it covers only part of its schedule: ` +
      'rerun it, or pass --allow-interrupted to hold the runs against it anyway',
    [
      {
        file: run.dir ? `${run.dir}/summary.json` : path,
        path: 'run.interrupted',
        expected: 'null (a run that ended by itself)',
        received: what,
      },
    ],
  );
}
