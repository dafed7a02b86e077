/** Request-level breakdowns and the per-second series, from the aggregate's groups and buckets. */
import type { Aggregate } from './aggregate.js';
import { DIMENSIONS, UNTAGGED, type GroupAcc } from './groups.js';
import { percentileMs, type MsHistogram } from './histogram.js';
import type { GroupSummary, Summary } from './summary-schema.js';
import { countOf, ratio, roundUsd } from './numbers.js';

function p(h: MsHistogram | null, q: number): number | null {
  return h ? percentileMs(h, q) : null;
}

function groupSummary(g: GroupAcc, fromHttp: boolean): GroupSummary {
  const requests = countOf(fromHttp ? g.httpReqs : g.e2eReqs);
  const errors = fromHttp ? g.httpFailed : g.e2eErrors;
  return {
    requests,
    errors,
    errorRate: ratio(errors, requests),
    ttft_p50_ms: p(g.ttft, 50),
    ttft_p99_ms: p(g.ttft, 99),
    e2e_p50_ms: p(g.e2e, 50),
    e2e_p99_ms: p(g.e2e, 99),
    queue_p50_ms: p(g.queue, 50),
    queue_p99_ms: p(g.queue, 99),
    costUsd: roundUsd(g.costUsd),
  };
}

function isEmpty(s: GroupSummary): boolean {
  return s.requests === 0 && s.errors === 0 && s.ttft_p50_ms === null && s.e2e_p50_ms === null && s.costUsd === 0;
}

/**
 * One record per dimension, groups sorted by name. Requests and errors come from http_reqs and
 * http_req_failed when those carry the dimension's tag, else from e2e points (stock k6 learns
 * the provider only from the response, so only the custom metrics carry it). A dimension no
 * point was tagged with is an empty record.
 */
export function summarizeBreakdowns(agg: Aggregate): Summary['breakdowns'] {
  const out = { provider: {}, region: {}, class: {}, model: {}, cache: {} } as Summary['breakdowns'];
  for (const dim of DIMENSIONS) {
    const fromHttp = agg.dimsOnHttp.has(dim);
    const entries = [...agg.groups[dim].entries()]
      .map(([name, g]) => [name, groupSummary(g, fromHttp)] as const)
      .filter(([, s]) => !isEmpty(s))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 1 && entries[0]?.[0] === UNTAGGED) continue;
    out[dim] = Object.fromEntries(entries);
  }
  return out;
}

/** Beyond this span (a week of seconds) gaps are not filled: a stray timestamp must not make millions of rows. */
const MAX_FILLED_SECONDS = 7 * 24 * 3600;

export function summarizeTimeseries(agg: Aggregate): Summary['timeseries'] {
  const keys = [...agg.seconds.keys()].sort((a, b) => a - b);
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];
  // keys count from the run start when ingest knew it, else from the Unix epoch (rebased to the first second)
  const base = agg.seriesOriginMs !== null ? 0 : first;
  const from = Math.min(first, base);
  const fill = last - from <= MAX_FILLED_SECONDS;
  const seconds = fill ? Array.from({ length: last - from + 1 }, (_, i) => from + i) : keys;
  return seconds.map((s) => {
    const b = agg.seconds.get(s);
    return {
      t: s - base,
      requests: countOf(b?.requests ?? 0),
      errors: b?.errors ?? 0,
      dropped: countOf(b?.dropped ?? 0),
      ttft_p50_ms: p(b?.ttft ?? null, 50),
      ttft_p99_ms: p(b?.ttft ?? null, 99),
      e2e_p50_ms: p(b?.e2e ?? null, 50),
      e2e_p99_ms: p(b?.e2e ?? null, 99),
    };
  });
}
