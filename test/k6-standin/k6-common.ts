/**
 * What the stand-in k6 modules share: the VU's state, k6's built-in metrics, and k6's ways with
 * tags, header names and durations.
 */
import type { PointMsg } from './protocol.js';

export type MetricType = PointMsg['type'];
export type Contains = PointMsg['contains'];

/** Write one sample (with the VU's metadata) at `timeMs` (default now). */
export type Emit = (metric: string, value: number, tags: Record<string, string>, timeMs?: number) => void;

export interface VuState {
  vu: number;
  scenario: { name: string; executor: string; startTime: number };
  /** null in the init context (and in setup/teardown for `exec.scenario`) */
  iteration: { inTest: number; inScenario: number; inInstance: number } | null;
  /** exec.vu.metrics.tags and .metadata: kept across iterations, as in k6 */
  vuTags: Record<string, unknown>;
  metadata: Record<string, unknown>;
  group: string;
  points: PointMsg[];
  options: unknown;
}

/** k6's own metrics the stand-ins emit. */
export const BUILTIN: Record<string, [MetricType, Contains]> = {
  http_reqs: ['counter', 'default'],
  http_req_failed: ['rate', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_blocked: ['trend', 'time'],
  http_req_connecting: ['trend', 'time'],
  http_req_tls_handshaking: ['trend', 'time'],
  http_req_sending: ['trend', 'time'],
  http_req_waiting: ['trend', 'time'],
  http_req_receiving: ['trend', 'time'],
  iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  checks: ['rate', 'default'],
  dropped_iterations: ['counter', 'default'],
  sse_event: ['counter', 'default'],
};

export const USER_AGENT = 'Grafana k6/stand-in';

/** Tag values as k6 takes them: strings, numbers and booleans (as strings); anything else is refused. */
export function tagValues(tags: unknown, where: string): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object') throw new TypeError(`${where}: tags must be an object, got ${typeof tags}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new TypeError(`${where}: tag ${k} has a ${typeof v} value; k6 takes strings, numbers and booleans`);
  }
  return out;
}

/** Go's canonical header key: `x-request-id` → `X-Request-Id`. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** A k6 duration (`60s`, `1m30s`, `1500ms`) or a number of ms. */
export function durationMs(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'number') return v;
  const text = String(v);
  let total = 0;
  let rest = text;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001 };
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|h|m|s)/.exec(rest);
    if (!m) throw new TypeError(`"${text}" is not a k6 duration`);
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
