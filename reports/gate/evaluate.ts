/**
 * Pure: the gate's decision. For every rule, a seeded bootstrap of the change from the baseline
 * runs to the current runs:
 *
 *   repeat `resamples` times:
 *     draw the baseline runs with replacement (simple-statistics sampleWithReplacement), and the
 *     current runs likewise (a side with one run keeps it);
 *     for each drawn run, redraw its figure with its requests resampled (metrics.ts `resample`;
 *     fixed when the metric has none);
 *     side figure = mean over its drawn runs;
 *     change = current / baseline − 1 (relative limits) or current − baseline (absolute limits),
 *              or the current figure alone (max / min bounds);
 *   interval = the (1 − confidence)/2 and (1 + confidence)/2 quantiles of the changes
 *              (simple-statistics quantileSorted), a percentile bootstrap interval.
 *
 * A rule fails (regression) only when its point estimate (from the means of the unresampled
 * figures) and the whole interval lie beyond its limit; when the estimate crosses the limit but
 * the interval does not, it is "noisy": reported, not failed. The same inputs, rules and seed give the same verdict.
 */
import { mean, quantileSorted, sampleWithReplacement } from 'simple-statistics';
import { deriveSeed, Rng } from '../../core/random.js';
import type { Summary } from '../summary-schema.js';
import { GATE_METRICS, type GateMetric } from './metrics.js';
import { GATE_METRIC_KEYS, type GateMetricKey, type GateRules, type Limit } from './rules.js';

export type CheckKind = 'maxIncrease' | 'maxDecrease' | 'max' | 'min';
export type CheckStatus = 'pass' | 'regression' | 'noisy' | 'no-data';

export interface CheckResult {
  metric: GateMetricKey;
  label: string;
  check: CheckKind;
  /** as written in the rules (`+10%`, `-0.05`, `≤ 0.05`) */
  limitText: string;
  /** relative changes are fractions (0.12 = +12%); absolute ones are in the metric's unit; bounds compare the current figure */
  mode: 'relative' | 'absolute' | 'bound';
  /** the limit the change is held against, in `mode` units (signed: a decrease limit is negative) */
  limit: number;
  baseline: number | null;
  current: number | null;
  /** point estimate of the change (or the current figure, for bounds) */
  change: number | null;
  interval: [number, number] | null;
  status: CheckStatus;
}

export interface GateVerdict {
  ok: boolean;
  results: CheckResult[];
  baselineRuns: number;
  currentRuns: number;
  confidence: number;
  resamples: number;
  seed: number;
}

function values(metric: GateMetric, runs: Summary[]): Summary[] {
  return runs.filter((s) => metric.value(s) !== null);
}

function sideFigure(metric: GateMetric, runs: Summary[], rng: Rng, resample: boolean): number {
  const rnd = () => rng.uniform();
  const drawn = runs.length > 1 && resample ? sampleWithReplacement(runs, runs.length, rnd) : runs;
  const figures = drawn.map((s) => (resample && metric.resample ? (metric.resample(s, rng) ?? (metric.value(s) as number)) : (metric.value(s) as number)));
  return mean(figures);
}

function changeOf(mode: CheckResult['mode'], base: number, cur: number): number {
  if (mode === 'bound') return cur;
  if (mode === 'absolute') return cur - base;
  if (base === 0) return cur === 0 ? 0 : cur > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return cur / base - 1;
}

function limitOf(check: CheckKind, l: Limit | number): { mode: CheckResult['mode']; limit: number; text: string } {
  if (typeof l === 'number') return { mode: 'bound', limit: l, text: check === 'max' ? `≤ ${l}` : `≥ ${l}` };
  return { mode: l.kind, limit: check === 'maxDecrease' ? -l.amount : l.amount, text: l.text };
}

/** A regression needs the point estimate and the whole interval beyond the limit; the estimate alone is "noisy". */
function decide(check: CheckKind, limit: number, change: number, lo: number, hi: number): CheckStatus {
  const higherIsWorse = check === 'maxIncrease' || check === 'max';
  const beyond = (x: number) => (higherIsWorse ? x > limit : x < limit);
  if (!beyond(change)) return 'pass';
  return beyond(higherIsWorse ? lo : hi) ? 'regression' : 'noisy';
}

function evaluateCheck(metric: GateMetric, check: CheckKind, l: Limit | number, base: Summary[], cur: Summary[], rules: GateRules): CheckResult {
  const { mode, limit, text } = limitOf(check, l);
  const b = values(metric, base);
  const c = values(metric, cur);
  const baseline = b.length ? mean(b.map((s) => metric.value(s) as number)) : null;
  const current = c.length ? mean(c.map((s) => metric.value(s) as number)) : null;
  const result: CheckResult = { metric: metric.key, label: metric.label, check, limitText: text, mode, limit, baseline, current, change: null, interval: null, status: 'no-data' };
  if (current === null || (mode !== 'bound' && baseline === null)) return result;
  result.change = changeOf(mode, baseline ?? 0, current);
  const rng = new Rng(deriveSeed(rules.seed, metric.key, check));
  const changes: number[] = [];
  for (let i = 0; i < rules.resamples; i++) {
    const cb = mode === 'bound' ? 0 : sideFigure(metric, b, rng, true);
    changes.push(changeOf(mode, cb, sideFigure(metric, c, rng, true)));
  }
  changes.sort((x, y) => x - y);
  const alpha = 1 - rules.confidence;
  const lo = quantileSorted(changes, alpha / 2);
  const hi = quantileSorted(changes, 1 - alpha / 2);
  result.interval = [lo, hi];
  result.status = decide(check, limit, result.change, lo, hi);
  return result;
}

/** Hold the current runs against the baseline runs under the rules. */
export function evaluateGate(baseline: Summary[], current: Summary[], rules: GateRules): GateVerdict {
  const results: CheckResult[] = [];
  for (const key of GATE_METRIC_KEYS) {
    const rule = rules.rules[key];
    if (!rule) continue;
    const metric = GATE_METRICS[key];
    const checks: Array<[CheckKind, Limit | number | undefined]> = [
      ['maxIncrease', rule.maxIncrease],
      ['maxDecrease', rule.maxDecrease],
      ['max', rule.max],
      ['min', rule.min],
    ];
    for (const [kind, l] of checks) if (l !== undefined) results.push(evaluateCheck(metric, kind, l, baseline, current, rules));
  }
  return {
    ok: results.every((r) => r.status !== 'regression'),
    results,
    baselineRuns: baseline.length,
    currentRuns: current.length,
    confidence: rules.confidence,
    resamples: rules.resamples,
    seed: rules.seed,
  };
}
