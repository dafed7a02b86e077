/**
 * Pure: each expectation of a plan against the measurements — pass or fail with the observed
 * value, or skipped (an alert expectation when Prometheus could not run).
 */
import { compare, MEASURES, type Expectation, type MeasureKind } from '../../scenarios/gameday/expectation.js';
import type { Measurements } from './measure.js';

export type VerdictStatus = 'pass' | 'fail' | 'skipped';

export interface Verdict {
  expectation: string;
  status: VerdictStatus;
  /** the observed value, formatted for people (`0.4%`, `1.2 s`, `never`) */
  observed: string;
  note?: string;
}

export function formatMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
}

/** `null` reads "never" for a time-to measure (it never happened) and "n/a" for the others (nothing to measure). */
export function formatValue(kind: MeasureKind, v: number | null, never = true): string {
  if (v === null) return never ? 'never' : 'n/a';
  switch (kind) {
    case 'rate':
      return `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 2 : 1)}%`;
    case 'duration':
      return formatMs(v);
    case 'count':
      return String(Math.round(v));
    case 'number':
      return v.toFixed(2);
  }
}

function judgeAlert(e: Extract<Expectation, { kind: 'alert' }>, m: Measurements): Verdict {
  if (!m.alerts.available) {
    return {
      expectation: e.text,
      status: 'skipped',
      observed: 'not measured',
      note: m.alerts.reason ?? 'Prometheus did not run',
    };
  }
  const firings = m.alerts.timings.filter((t) => t.alert === e.alert);
  if (!e.fires) {
    if (firings.length === 0) return { expectation: e.text, status: 'pass', observed: 'never fired' };
    return {
      expectation: e.text,
      status: 'fail',
      observed: `fired ${formatMs(firings[0]!.firedAfterMs)} after the fault began`,
    };
  }
  const after = firings.filter((t) => t.firedAfterMs >= 0).sort((a, b) => a.firedAfterMs - b.firedAfterMs)[0];
  if (!after) {
    const note = firings.length > 0 ? 'it fired only before the first fault began' : undefined;
    return { expectation: e.text, status: 'fail', observed: 'never fired', ...(note ? { note } : {}) };
  }
  const ok = e.withinMs === undefined || after.firedAfterMs <= e.withinMs;
  return {
    expectation: e.text,
    status: ok ? 'pass' : 'fail',
    observed: `fired ${formatMs(after.firedAfterMs)} after the fault began`,
  };
}

export function judge(expectations: readonly Expectation[], m: Measurements): Verdict[] {
  return expectations.map((e) => {
    if (e.kind === 'alert') return judgeAlert(e, m);
    const kind = MEASURES[e.measure];
    const v = m.values[e.measure];
    const observed = formatValue(kind, v, e.measure.startsWith('time_to_'));
    // "never" (a failover that never happened, no request after the fault) fails every bound
    if (v === null) return { expectation: e.text, status: 'fail', observed };
    return { expectation: e.text, status: compare(v, e.op, e.value) ? 'pass' : 'fail', observed };
  });
}

/** Every expectation held (skipped ones do not count against). */
export function allHold(verdicts: readonly Verdict[]): boolean {
  return verdicts.every((v) => v.status !== 'fail');
}
