/**
 * The spec's k6 thresholds against the driver's own samples: all of them at the end, and the
 * `abortOnFail` ones once a second during the run (after their `delayAbortEval`, and only once
 * their metric has samples — an empty metric cannot break a threshold mid-run).
 */
import type { Spec } from '../scenarios/spec-schema.js';
import { evaluateThresholds, parseThresholdKey, type ThresholdResult } from '../scenarios/thresholds.js';
import type { MetricStore } from './stats.js';

export function evaluateAll(spec: Spec, store: MetricStore, elapsedMs: number): ThresholdResult[] {
  return evaluateThresholds(spec.thresholds, (metric, tags) => store.statsFor(metric, tags, elapsedMs));
}

export function hasAbortingThresholds(spec: Spec): boolean {
  return Object.values(spec.thresholds).some((list) => list.some((t) => typeof t !== 'string' && t.abortOnFail));
}

/** The first abortOnFail threshold that is due and crossed, if any. */
export function abortBreach(spec: Spec, store: MetricStore, elapsedMs: number): ThresholdResult | undefined {
  const due: Record<string, Array<{ threshold: string }>> = {};
  for (const [key, list] of Object.entries(spec.thresholds)) {
    const { metric, tags } = parseThresholdKey(key);
    if (store.values(metric, tags).length === 0) continue;
    const aborting = list.filter(
      (t): t is Exclude<typeof t, string> => typeof t !== 'string' && t.abortOnFail && elapsedMs >= (t.delayAbortEval ?? 0),
    );
    if (aborting.length > 0) due[key] = aborting;
  }
  return evaluateThresholds(due, (metric, tags) => store.statsFor(metric, tags, elapsedMs)).find((r) => !r.ok);
}
