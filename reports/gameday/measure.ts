/**
 * Pure: the game-day measurements, per fault window and over all of them, from the client
 * requests, the upstream calls, the fault windows and the alert firings (inputs.ts).
 *
 * - A request belongs to a fault when it started inside the window. A failure is laid at the last
 *   fault that began before it: one in flight when the fault began is counted apart, as cut by
 *   the fault (no gateway can fail over a response whose first bytes went out).
 * - time to detect: fault start → the first failover the ledger shows (an upstream call with
 *   attempt > 1; without attempt numbers, the first call away from the primary endpoint).
 * - time to fail over: fault start → the end of its last client error (0 when there was none);
 *   "never" when requests started in the last quarter of the window still failed.
 * - time to recover: fault end → the primary endpoint's first answered call again (the ledger;
 *   the primary is where first attempts went before the first fault).
 */
import { createHistogram, percentileMs, recordMs } from '../histogram.js';
import type { MeasureName } from '../../scenarios/gameday/expectation.js';
import type { ClientRequest, FaultWindow, GamedayInputs, UpstreamCall } from './inputs.js';
import { measureInstanceKills, type InstanceKill } from './instances.js';

export interface FaultMeasures {
  id: string;
  fault: string;
  /** `provider=openai region=us-east`, `fleet` when unscoped */
  scope: string;
  /** seconds from the run start */
  fromS: number;
  toS: number;
  requests: number;
  errors: number;
  truncatedStreams: number;
  /** requests in flight when the fault began that failed */
  cutInFlight: number;
  timeToDetectMs: number | null;
  timeToFailoverMs: number | null;
  timeToRecoverMs: number | null;
  costPerRequestUsd: number | null;
  p99TtftMs: number | null;
}

export interface AlertTiming {
  alert: string;
  labels: Record<string, string>;
  /** ms after the first fault began (negative: before it) */
  firedAfterMs: number;
  /** ms after the last fault ended; null while still firing at the end */
  resolvedAfterMs: number | null;
}

export interface Measurements {
  primary: string | null;
  requests: number;
  errors: number;
  preFault: { requests: number; costPerRequestUsd: number | null };
  faults: FaultMeasures[];
  /** one row per gateway instance killed (several instances behind the lab's front) */
  instances: InstanceKill[];
  /** every measure an expectation can name; null = never happened / not measurable */
  values: Record<MeasureName, number | null>;
  slo: { availability: number; allowedErrors: number; burned: number | null };
  alerts: { available: boolean; reason?: string; timings: AlertTiming[]; neverFired: string[] };
}

function scopeText(scope: FaultWindow['scope']): string {
  const parts = Object.entries(scope).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
  return parts.length ? parts.join(' ') : 'fleet';
}

function inScope(scope: FaultWindow['scope'], endpoint: string): boolean {
  const [provider = '', region = ''] = endpoint.split('/');
  const hit = (key: string, value: string): boolean => {
    const s = scope[key];
    return s === undefined || (Array.isArray(s) ? s.includes(value) : s === value);
  };
  return hit('provider', provider) && hit('region', region);
}

/**
 * The primary endpoint: where the gateway sent first attempts before the first fault (the ledger,
 * whatever came of them); without a ledger, the endpoint that served most requests before it.
 */
export function primaryEndpoint(requests: ClientRequest[], calls: UpstreamCall[], beforeMs: number): string | null {
  const counts = new Map<string, number>();
  for (const c of calls)
    if (c.timeMs < beforeMs && (c.attempt ?? 1) === 1) counts.set(c.endpoint, (counts.get(c.endpoint) ?? 0) + 1);
  if (counts.size === 0)
    for (const r of requests)
      if (r.ok && r.endpoint && r.startMs < beforeMs) counts.set(r.endpoint, (counts.get(r.endpoint) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [e, c] of counts) if (c > n) [best, n] = [e, c];
  return best;
}

const started = (r: ClientRequest, w: FaultWindow): boolean => r.startMs >= w.startMs && r.startMs < w.endMs;

/**
 * Upstream cost per client request over a set of calls: calls grouped by request id (so retries
 * and failovers add to their request), each call alone when the gateway passes no id on.
 */
export function costPerRequest(calls: readonly UpstreamCall[]): number | null {
  if (calls.length === 0) return null;
  const ids = new Set(calls.map((c, i) => c.requestId ?? `#${i}`));
  return calls.reduce((s, c) => s + c.costUsd, 0) / ids.size;
}

/**
 * Which fault a failed request is laid at: the last one that began before it failed. A request
 * started during one fault but cut when the next one began belongs to the next (cut in flight).
 */
function blamedFault(r: ClientRequest, faults: readonly FaultWindow[]): FaultWindow | undefined {
  let blamed: FaultWindow | undefined;
  for (const w of faults) if (w.startMs <= r.endMs) blamed = w;
  return blamed;
}

function measureFault(w: FaultWindow, inp: GamedayInputs, primary: string | null): FaultMeasures {
  const inside = inp.requests.filter((r) => started(r, w));
  const mine = inp.requests.filter((r) => !r.ok && blamedFault(r, inp.faults) === w);
  const cut = mine.filter((r) => r.startMs < w.startMs);
  const failed = mine.filter((r) => started(r, w));
  const lastQuarter = w.startMs + 0.75 * (w.endMs - w.startMs);
  let timeToFailoverMs: number | null = 0;
  if (failed.some((r) => r.startMs >= lastQuarter)) timeToFailoverMs = null;
  else {
    const ends = [...failed, ...cut].map((r) => Math.min(r.endMs, w.endMs) - w.startMs);
    timeToFailoverMs = ends.length ? Math.max(0, ...ends) : 0;
  }
  const callsIn = inp.calls.filter((c) => c.timeMs >= w.startMs && c.timeMs < w.endMs);
  const haveAttempts = inp.calls.some((c) => c.attempt !== null);
  const moved = callsIn.find((c) =>
    haveAttempts ? (c.attempt ?? 1) > 1 : primary !== null && inScope(w.scope, primary) && c.endpoint !== primary,
  );
  // traffic back on the primary: its first answered call after the fault (the ledger), or without
  // a ledger the first request it served
  const back =
    primary === null
      ? undefined
      : inp.calls.length > 0
        ? inp.calls.find((c) => c.timeMs >= w.endMs && c.endpoint === primary && c.status !== null && c.status < 300)
            ?.timeMs
        : inp.requests.find((r) => r.startMs >= w.endMs && r.endpoint === primary)?.startMs;
  const ttft = createHistogram();
  for (const r of inside) if (r.ttftMs !== undefined) recordMs(ttft, r.ttftMs);
  return {
    id: w.id,
    fault: w.fault,
    scope: scopeText(w.scope),
    fromS: (w.startMs - inp.runStartMs) / 1000,
    toS: (w.endMs - inp.runStartMs) / 1000,
    requests: inside.length,
    errors: failed.length,
    truncatedStreams: mine.filter((r) => r.failure === 'truncated_stream').length,
    cutInFlight: cut.length,
    timeToDetectMs: moved ? moved.timeMs - w.startMs : null,
    timeToFailoverMs,
    timeToRecoverMs: back === undefined ? null : back - w.endMs,
    costPerRequestUsd: costPerRequest(callsIn),
    p99TtftMs: percentileMs(ttft, 99),
  };
}

/** The worst of per-fault times; null (never) when any fault never got there. */
function worst(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return Math.max(...(values as number[]));
}

export function measureGameday(inp: GamedayInputs, slo: { availability: number }): Measurements {
  const firstFault = inp.faults[0]?.startMs ?? inp.runEndMs;
  const lastFaultEnd = Math.max(firstFault, ...inp.faults.map((w) => w.endMs));
  const primary = primaryEndpoint(inp.requests, inp.calls, firstFault);
  const faults = inp.faults.map((w) => measureFault(w, inp, primary));

  const pre = inp.requests.filter((r) => r.startMs < firstFault);
  // the baseline: whole answers before the first fault (a call the fault cut short bills less)
  const preCostPerRequest = costPerRequest(inp.calls.filter((c) => c.timeMs < firstFault && c.ok));

  const during = inp.requests.filter((r) => inp.faults.some((w) => started(r, w)));
  const duringCostPerRequest = costPerRequest(
    inp.calls.filter((c) => inp.faults.some((w) => c.timeMs >= w.startMs && c.timeMs < w.endMs)),
  );
  const ttft = createHistogram();
  for (const r of during) if (r.ttftMs !== undefined) recordMs(ttft, r.ttftMs);
  const withAttempts = during.filter((r) => r.attempts !== undefined);

  const errors = inp.requests.filter((r) => !r.ok).length;
  const allowedErrors = (1 - slo.availability) * inp.requests.length;
  const burned = allowedErrors > 0 ? errors / allowedErrors : null;

  const kills = measureInstanceKills(inp.instances ?? [], inp.runStartMs);
  const values: Record<MeasureName, number | null> = {
    client_errors_during_fault: during.length > 0 ? faults.reduce((s, f) => s + f.errors, 0) / during.length : null,
    client_errors: inp.requests.length > 0 ? errors / inp.requests.length : null,
    truncated_streams_during_fault: faults.reduce((s, f) => s + f.truncatedStreams, 0),
    time_to_detect: worst(faults.map((f) => f.timeToDetectMs)),
    time_to_failover: worst(faults.map((f) => f.timeToFailoverMs)),
    time_to_recover: worst(faults.map((f) => f.timeToRecoverMs)),
    extra_cost_during_fault:
      preCostPerRequest !== null && preCostPerRequest > 0 && duringCostPerRequest !== null
        ? duringCostPerRequest / preCostPerRequest - 1
        : null,
    residency_violations: inp.requests.filter((r) => r.residencyViolation === true).length,
    error_budget_burned: burned,
    p99_ttft_during_fault: percentileMs(ttft, 99),
    attempts_per_request_during_fault:
      withAttempts.length > 0 ? withAttempts.reduce((s, r) => s + (r.attempts ?? 0), 0) / withAttempts.length : null,
    requests_lost_in_flight: kills.length > 0 ? kills.reduce((s, k) => s + k.lost, 0) : null,
    time_to_restart: kills.length > 0 ? worst(kills.map((k) => k.restartMs)) : null,
  };

  const timings: AlertTiming[] = inp.alerts.firings.map((f) => ({
    alert: f.alert,
    labels: f.labels,
    firedAfterMs: f.firedMs - firstFault,
    resolvedAfterMs: f.resolvedMs === null ? null : f.resolvedMs - lastFaultEnd,
  }));
  const fired = new Set(timings.map((t) => t.alert));
  return {
    primary,
    requests: inp.requests.length,
    errors,
    preFault: { requests: pre.length, costPerRequestUsd: preCostPerRequest },
    faults,
    instances: kills,
    values,
    slo: { availability: slo.availability, allowedErrors, burned },
    alerts: {
      available: inp.alerts.available,
      ...(inp.alerts.reason ? { reason: inp.alerts.reason } : {}),
      timings,
      neverFired: inp.alerts.rules.filter((r) => !fired.has(r)),
    },
  };
}
