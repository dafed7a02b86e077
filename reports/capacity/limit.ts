/**
 * Where the limit came from: the first failing step above the knee, read against the knee step.
 * Provider rate limits (429s in the ledger), overloaded upstreams (503/529), upstream queueing
 * (the ledger's queue time), the gateway's CPU (from /metrics), or, when none of those moved,
 * the gateway itself (errors it made, or latency it added). Pure.
 */
import { fmtMs, fmtNum, fmtPct } from '../format.js';
import type { Limit, LimitCause, Step } from './schema.js';

/** A share of upstream calls (or of requests) above this counts as a cause. */
const SHARE = 0.01;
/** Queue time p99 above this (and above the passing step's) counts as queueing. */
export const QUEUE_MS = 25;
/** A gateway using this many cores is the bottleneck on a small machine. */
const CPU_CORES = 0.8;

type EndpointPick = (e: NonNullable<Step['upstream']>['byEndpoint'][string]) => number;

/** The endpoints that showed it most: ` (openai/us-east 349 ms, …)`. */
function worst(step: Step, pick: EndpointPick, format: (n: number) => string = fmtNum): string {
  const eps = Object.entries(step.upstream?.byEndpoint ?? {})
    .filter(([, e]) => pick(e) > 0)
    .sort(([, a], [, b]) => pick(b) - pick(a));
  return eps.length > 0 ? ` (${eps.slice(0, 3).map(([id, e]) => `${id} ${format(pick(e))}`).join(', ')})` : '';
}

function clientStatus(step: Step, codes: number[]): number {
  return codes.reduce((a, c) => a + (step.statuses[String(c)] ?? 0), 0);
}

/**
 * Does the system show pressure that explains a failed step — upstream queueing, 429s, overloaded
 * answers, errors, dropped starts or a busy gateway? A latency failure with none of these on a
 * step is worth one re-run before it counts: on a busy machine one stalled process is enough to
 * move a p99 of a few dozen requests.
 */
export function corroborated(step: Step): boolean {
  const up = step.upstream;
  if (up && up.calls > 0) {
    if ((up.queueP99Ms ?? 0) > QUEUE_MS || (up.rateLimited + up.overloaded) / up.calls > SHARE) return true;
  }
  if ((step.errorRate ?? 0) > 0 || step.dropped > 0) return true;
  return step.gatewayCpu !== null && step.gatewayCpu.cores >= CPU_CORES;
}

type Cause = { cause: LimitCause; evidence: string };

/** 429s, overloaded answers and growing queue time in the fleet's ledger. */
function upstreamCauses(fail: Step, pass: Step | null, at: string): Cause[] {
  const up = fail.upstream;
  if (!up || up.calls === 0) return [];
  const out: Cause[] = [];
  const share = (n: number) => fmtPct(n / up.calls);
  if (up.rateLimited / up.calls > SHARE) {
    const where = worst(fail, (e) => e.rateLimited);
    out.push({ cause: 'rate-limits', evidence: `${share(up.rateLimited)} of upstream calls answered 429 ${at}${where}` });
  }
  if (up.overloaded / up.calls > SHARE) {
    const where = worst(fail, (e) => e.overloaded);
    out.push({ cause: 'upstream-overloaded', evidence: `${share(up.overloaded)} of upstream calls answered overloaded (503/529) ${at}${where}` });
  }
  const before = pass?.upstream?.queueP99Ms ?? 0;
  const q = up.queueP99Ms ?? 0;
  if (q > QUEUE_MS && q > before) {
    const from = pass ? ` from ${fmtMs(before)} at ${fmtNum(pass.rate)}/s` : '';
    const where = worst(fail, (e) => e.queueP99Ms ?? 0, fmtMs);
    const evidence = `upstream queue time p99 rose${from} to ${fmtMs(q)} ${at}; ${share(up.queued)} of calls waited for a slot${where}`;
    out.push({ cause: 'upstream-queueing', evidence });
  }
  return out;
}

/** Without a ledger (an external target): the statuses the client saw. */
function clientCauses(fail: Step, at: string): Cause[] {
  if (fail.upstream || fail.requests === 0) return [];
  const out: Cause[] = [];
  const limited = clientStatus(fail, [429]) / fail.requests;
  const overloaded = clientStatus(fail, [503, 529]) / fail.requests;
  const view = '(no fleet ledger: client view)';
  if (limited > SHARE) out.push({ cause: 'rate-limits', evidence: `${fmtPct(limited)} of requests came back 429 ${at} ${view}` });
  if (overloaded > SHARE) out.push({ cause: 'upstream-overloaded', evidence: `${fmtPct(overloaded)} of requests came back 503/529 ${at} ${view}` });
  return out;
}

/** Nothing upstream and an idle gateway: errors the gateway made, dropped starts, or latency it added. */
function residualCause(fail: Step, pass: Step | null, at: string): Cause {
  const up = fail.upstream;
  const upstreamErrors = up ? up.rateLimited + up.overloaded + up.otherErrors : 0;
  if (fail.errors > upstreamErrors && (fail.errorRate ?? 0) > 0) {
    const evidence = `${fmtPct(fail.errorRate)} of requests failed ${at} with ${upstreamErrors} failed upstream calls: the errors come from the gateway`;
    return { cause: 'gateway-errors', evidence };
  }
  if (fail.dropped > 0) {
    return { cause: 'latency', evidence: `${fail.dropped} starts dropped ${at}: the in-flight cap was reached (requests last too long)` };
  }
  if (fail.ttftP99Ms === null) return { cause: 'unknown', evidence: `no request completed ${at}` };
  const from = pass?.ttftP99Ms != null ? ` (from ${fmtMs(pass.ttftP99Ms)} at ${fmtNum(pass.rate)}/s)` : '';
  const grew = `TTFT p99 ${fmtMs(fail.ttftP99Ms)} ${at}${from}`;
  const evidence = up
    ? `${grew} with no upstream queueing, 429s or overload: latency added in front of the providers`
    : `${grew} with no 429s or overloaded answers (no fleet ledger: upstream queueing cannot be told apart from the gateway's own time)`;
  return { cause: 'latency', evidence };
}

export function findLimit(steps: readonly Step[], knee: number | null, firstFail: number | null): Limit | null {
  const fail = steps.find((s) => s.rate === firstFail);
  if (!fail) return null;
  const pass = steps.find((s) => s.rate === knee) ?? null;
  const at = `at ${fmtNum(fail.rate)}/s`;
  const causes = [...upstreamCauses(fail, pass, at), ...clientCauses(fail, at)];
  const cpu = fail.gatewayCpu;
  if (cpu && cpu.cores >= CPU_CORES) {
    const how = cpu.source === 'metrics' ? 'process_cpu from its /metrics' : 'its process CPU time';
    causes.push({ cause: 'gateway-cpu', evidence: `the gateway used ${fmtNum(Math.round(cpu.cores * 100) / 100)} cores ${at} (${how})` });
  }
  if (causes.length === 0) causes.push(residualCause(fail, pass, at));
  return { cause: causes[0]!.cause, causes, atRate: fail.rate, vsRate: pass?.rate ?? null };
}
