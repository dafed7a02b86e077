/**
 * Game-day expectations, written as one line each in a plan:
 *
 *   client_errors_during_fault < 1%        a measure, an operator and a value with its unit
 *   time_to_failover < 5s
 *   residency_violations == 0
 *   alert GatewayUpstreamDown fires within 60s    (counted from the first fault's start)
 *   alert GatewayUpstreamDown fires
 *   alert GatewayHighErrorRate does not fire
 *
 * Pure TS. Values are held in base units: rates as fractions (1% → 0.01), durations in ms.
 */
import { DURATION_RE, parseDurationMs } from '../../core/duration.js';

/** What each measure is: its kind decides the units its value may be written in. */
export const MEASURES = {
  /** failed client requests ÷ requests, among those started during a fault or in flight when it began */
  client_errors_during_fault: 'rate',
  /** failed client requests ÷ requests over the whole run */
  client_errors: 'rate',
  /** streams that ended before `[DONE]` during the faults */
  truncated_streams_during_fault: 'count',
  /** fault start → first failover seen in the ledger (an attempt > 1 elsewhere); worst fault */
  time_to_detect: 'duration',
  /** fault start → the last client error of the fault (0 when none); never when errors last to its end */
  time_to_failover: 'duration',
  /** fault end → first request served by the primary endpoint again; worst fault */
  time_to_recover: 'duration',
  /** upstream cost per client request (retries and failovers included) during the faults against before them */
  extra_cost_during_fault: 'rate',
  /** requests answered from a region their class does not allow */
  residency_violations: 'count',
  /** failed requests ÷ the errors the plan's SLO allows over the run */
  error_budget_burned: 'rate',
  /** p99 time to first token of requests started during the faults */
  p99_ttft_during_fault: 'duration',
  /** mean upstream attempts per request (from the samples) during the faults */
  attempts_per_request_during_fault: 'number',
  /** requests the lab's front lost in flight on killed gateway instances (502 or a cut stream) */
  requests_lost_in_flight: 'count',
  /** a killed instance's restart → serving again (worst kill); never when one was not restarted */
  time_to_restart: 'duration',
} as const;

export type MeasureName = keyof typeof MEASURES;
export type MeasureKind = (typeof MEASURES)[MeasureName];
export const MEASURE_NAMES = Object.keys(MEASURES) as MeasureName[];

export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export type Expectation =
  | { kind: 'measure'; text: string; measure: MeasureName; op: Operator; value: number }
  | { kind: 'alert'; text: string; alert: string; fires: true; withinMs?: number }
  | { kind: 'alert'; text: string; alert: string; fires: false };

export type ParsedExpectation = { ok: true; value: Expectation } | { ok: false; expected: string };

const FORMS =
  '"<measure> <op> <value>" (e.g. "client_errors_during_fault < 1%", "time_to_failover < 5s"), ' +
  '"alert <Name> fires within <duration>", "alert <Name> fires" or "alert <Name> does not fire"';

const UNITS: Record<MeasureKind, string> = {
  rate: 'a percentage such as 1% or 0.5%, or a fraction such as 0.01',
  duration: 'a duration such as 500ms, 5s or 1m',
  count: 'a whole number such as 0 or 10',
  number: 'a number such as 1.5',
};

/** A value written for a measure of `kind`, in base units; undefined when it does not fit. */
function parseValue(kind: MeasureKind, text: string): number | undefined {
  if (kind === 'rate') {
    const pct = /^(-?\d+(?:\.\d+)?)%$/.exec(text);
    if (pct) return Number(pct[1]) / 100;
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
  }
  if (kind === 'duration') return DURATION_RE.test(text) ? parseDurationMs(text) : undefined;
  if (kind === 'count') return /^\d+$/.test(text) ? Number(text) : undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

export function parseExpectation(input: string): ParsedExpectation {
  const text = input.trim().replace(/\s+/g, ' ');
  const alert = /^alert ([A-Za-z_:][A-Za-z0-9_:]*) (.+)$/.exec(text);
  if (alert) {
    const [, name = '', rest = ''] = alert;
    if (rest === 'fires') return { ok: true, value: { kind: 'alert', text, alert: name, fires: true } };
    if (rest === 'does not fire' || rest === 'never fires')
      return { ok: true, value: { kind: 'alert', text, alert: name, fires: false } };
    const within = /^fires within (\S+)$/.exec(rest);
    if (within && DURATION_RE.test(within[1] ?? '')) {
      return {
        ok: true,
        value: { kind: 'alert', text, alert: name, fires: true, withinMs: parseDurationMs(within[1] ?? '') },
      };
    }
    return {
      ok: false,
      expected: `"alert ${name} fires within <duration such as 60s>", "alert ${name} fires" or "alert ${name} does not fire"`,
    };
  }
  const m = /^([a-z_0-9]+) ?(<=|>=|==|!=|<|>) ?(\S+)$/.exec(text);
  if (!m) return { ok: false, expected: FORMS };
  const [, name = '', op = '', raw = ''] = m;
  if (!(name in MEASURES))
    return { ok: false, expected: `a measure, one of ${MEASURE_NAMES.join(', ')} (not "${name}")` };
  const measure = name as MeasureName;
  const value = parseValue(MEASURES[measure], raw);
  if (value === undefined) return { ok: false, expected: `for ${measure}, ${UNITS[MEASURES[measure]]} (not "${raw}")` };
  return { ok: true, value: { kind: 'measure', text, measure, op: op as Operator, value } };
}

export function compare(observed: number, op: Operator, limit: number): boolean {
  switch (op) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}
