/**
 * A spec's arrival and thresholds as k6 `options` (scenarios with arrival-rate executors,
 * thresholds with abortOnFail kept). Pure TS (k6-safe): the k6 entry imports it, and it is
 * tested here without k6.
 */
import { formatDuration } from '../core/duration.js';
import { concurrencyLimit, peakRatePerSecond } from './schedule.js';
import type { Spec } from './spec-schema.js';
import { scenarioName } from './workload.js';

interface K6ScenarioBase {
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStop: string;
}
export interface K6ConstantArrival extends K6ScenarioBase {
  executor: 'constant-arrival-rate';
  rate: number;
  duration: string;
}
export interface K6RampingArrival extends K6ScenarioBase {
  executor: 'ramping-arrival-rate';
  startRate: number;
  stages: Array<{ duration: string; target: number }>;
}
export interface K6ConstantVus {
  executor: 'constant-vus';
  vus: number;
  duration: string;
  gracefulStop: string;
}
export type K6Scenario = K6ConstantArrival | K6RampingArrival | K6ConstantVus;
export type K6Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, K6Threshold[]>;
  summaryTrendStats: string[];
}

/** A k6 duration string for milliseconds: `30s`, `1500ms`. */
export function k6Duration(ms: number): string {
  return formatDuration(ms);
}

/**
 * k6 wants whole-number rates. Find the smallest factor m (≤ 1000) that makes every rate whole
 * and stretch the time unit by it (0.5/s ≡ 1 per 2s); failing that, round at m = 1000.
 */
export function wholeRates(rates: readonly number[], timeUnitMs: number): { rates: number[]; timeUnitMs: number } {
  for (let m = 1; m <= 1000; m++) {
    if (rates.every((r) => Math.abs(r * m - Math.round(r * m)) < 1e-9)) {
      return { rates: rates.map((r) => Math.round(r * m)), timeUnitMs: timeUnitMs * m };
    }
  }
  return { rates: rates.map((r) => Math.round(r * 1000)), timeUnitMs: timeUnitMs * 1000 };
}

/** VUs to start with: a few seconds' worth of the peak rate, within maxInFlight (the VUs for constant-vus). */
export function preAllocatedVUs(spec: Spec): number {
  const limit = concurrencyLimit(spec.arrival);
  if (spec.arrival.executor === 'constant-vus') return limit;
  return Math.min(limit, Math.max(1, Math.ceil(peakRatePerSecond(spec.arrival) * 5)));
}

/**
 * The spec's arrival as one k6 scenario. k6 has no Poisson executor: `poisson: true` runs the even
 * schedule at the same rate (the k6 entry warns; the native driver runs the Poisson process).
 */
export function k6Scenario(spec: Spec): K6Scenario {
  const a = spec.arrival;
  // in-flight iterations at the end may finish, up to the per-request timeout
  const gracefulStop = k6Duration(spec.timeout);
  if (a.executor === 'constant-vus') return { executor: a.executor, vus: a.vus, duration: k6Duration(a.duration), gracefulStop };
  const base = { preAllocatedVUs: preAllocatedVUs(spec), maxVUs: a.maxInFlight, gracefulStop };
  if (a.executor === 'constant-arrival-rate') {
    const w = wholeRates([a.rate], a.timeUnit);
    return { executor: a.executor, rate: w.rates[0]!, timeUnit: k6Duration(w.timeUnitMs), duration: k6Duration(a.duration), ...base };
  }
  const w = wholeRates([a.startRate, ...a.stages.map((s) => s.target)], a.timeUnit);
  return {
    executor: a.executor,
    startRate: w.rates[0]!,
    timeUnit: k6Duration(w.timeUnitMs),
    stages: a.stages.map((s, i) => ({ duration: k6Duration(s.duration), target: w.rates[i + 1]! })),
    ...base,
  };
}

export function k6Thresholds(spec: Spec): Record<string, K6Threshold[]> {
  const out: Record<string, K6Threshold[]> = {};
  for (const [key, list] of Object.entries(spec.thresholds)) {
    out[key] = list.map((t) => {
      if (typeof t === 'string') return t;
      const o: Exclude<K6Threshold, string> = { threshold: t.threshold, abortOnFail: t.abortOnFail };
      if (t.delayAbortEval !== undefined) o.delayAbortEval = k6Duration(t.delayAbortEval);
      return o;
    });
  }
  return out;
}

export function buildK6Options(spec: Spec): K6Options {
  return {
    scenarios: { [scenarioName(spec)]: k6Scenario(spec) },
    thresholds: k6Thresholds(spec),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(99)', 'p(99.9)'],
  };
}
