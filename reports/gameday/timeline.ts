/**
 * Pure: the game day second by second — request rate, client errors, p99 TTFT and the share of
 * requests each upstream endpoint served, by the second the requests started in.
 */
import { createHistogram, percentileMs, recordMs, type MsHistogram } from '../histogram.js';
import type { ClientRequest } from './inputs.js';

export interface TimelineBucket {
  /** seconds from the run start */
  t: number;
  requests: number;
  errors: number;
  p99TtftMs: number | null;
  /** successful requests by `provider/region` */
  served: Record<string, number>;
}

export function buildTimeline(
  requests: readonly ClientRequest[],
  runStartMs: number,
  runEndMs: number,
): TimelineBucket[] {
  const n = Math.max(1, Math.ceil((runEndMs - runStartMs) / 1000));
  const buckets: Array<TimelineBucket & { h: MsHistogram }> = Array.from({ length: n }, (_, t) => ({
    t,
    requests: 0,
    errors: 0,
    p99TtftMs: null,
    served: {},
    h: createHistogram({ compact: true }),
  }));
  for (const r of requests) {
    const i = Math.min(n - 1, Math.max(0, Math.floor((r.startMs - runStartMs) / 1000)));
    const b = buckets[i]!;
    b.requests++;
    if (!r.ok) b.errors++;
    else if (r.endpoint) b.served[r.endpoint] = (b.served[r.endpoint] ?? 0) + 1;
    if (r.ttftMs !== undefined) recordMs(b.h, r.ttftMs);
  }
  return buckets.map(({ h, ...b }) => ({ ...b, p99TtftMs: percentileMs(h, 99) }));
}

/** Every endpoint that served something, most used first. */
export function servingEndpoints(timeline: readonly TimelineBucket[]): string[] {
  const total = new Map<string, number>();
  for (const b of timeline) for (const [e, c] of Object.entries(b.served)) total.set(e, (total.get(e) ?? 0) + c);
  return [...total.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([e]) => e);
}
