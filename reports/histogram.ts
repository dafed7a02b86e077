/**
 * THE histogram module: every histogram stormlab builds comes from here, with one range and one
 * precision, so any two can be merged with `.add()` (autocannon's histUtil is the model).
 *
 * - Values are recorded as integer microseconds (`recordMs` rounds), range 1 µs … 1 hour,
 *   3 significant digits, autoResize off. 0 is recordable (a cache hit can queue for 0 ms);
 *   values below 0 or above 1 hour are clamped to the edge and counted in `clamped`.
 * - Percentiles come from HDR (the highest value equivalent to the bucket, as HdrHistogram
 *   reports it), bounded by the exact min and max, which are tracked beside the HDR together
 *   with the exact sum so `mean` is not quantised.
 * - Pure JS implementation (no WebAssembly): wasm histograms need an async init and a manual
 *   `destroy()` per histogram, and ingest is bound by JSON.parse, not by recording.
 * - `compact: true` builds a packed (sparse) histogram, ~0.5 KB when it holds a few values
 *   instead of ~95 KB: used for the per-second buckets, of which a run has thousands.
 * - Non-time trends (e.g. `attempts`) may use the same histogram: the unit is then 1/1000 of
 *   the metric's unit, and the `Ms` functions read back in the metric's unit.
 */
import { build, type Histogram } from 'hdr-histogram-js';

export const LOWEST_US = 1;
export const HIGHEST_US = 3_600_000_000;
export const SIGNIFICANT_DIGITS = 3;

export interface MsHistogram {
  /** the HDR histogram, integer microseconds (for HDR interval logs and `.add()`) */
  readonly hdr: Histogram;
  /** values recorded at the edge of the range because they were outside it */
  clamped: number;
  /** exact count, sum, min and max of the recorded (rounded, clamped) values, in µs */
  count: number;
  sumUs: number;
  minUs: number;
  maxUs: number;
}

export interface HistogramStats {
  count: number;
  /** all null when count is 0: no samples is not the same as 0 ms */
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
}

export function createHistogram(opts: { compact?: boolean } = {}): MsHistogram {
  const hdr = build({
    bitBucketSize: opts.compact ? 'packed' : 32,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
  return { hdr, clamped: 0, count: 0, sumUs: 0, minUs: Number.POSITIVE_INFINITY, maxUs: 0 };
}

/** Record one value in milliseconds (rounded to the microsecond, clamped into range). Non-finite values are ignored. */
export function recordMs(h: MsHistogram, ms: number): void {
  if (!Number.isFinite(ms)) return;
  let us = Math.round(ms * 1000);
  if (us < 0) {
    us = 0;
    h.clamped++;
  } else if (us > HIGHEST_US) {
    us = HIGHEST_US;
    h.clamped++;
  }
  h.hdr.recordValue(us);
  h.count++;
  h.sumUs += us;
  if (us < h.minUs) h.minUs = us;
  if (us > h.maxUs) h.maxUs = us;
}

/** Value at a percentile (0–100) in ms, within [min, max]; null when empty. */
export function percentileMs(h: MsHistogram, p: number): number | null {
  if (h.count === 0) return null;
  const us = h.hdr.getValueAtPercentile(p);
  return Math.min(Math.max(us, h.minUs), h.maxUs) / 1000;
}

export function statsMs(h: MsHistogram): HistogramStats {
  if (h.count === 0) {
    return { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p95: null, p99: null, p999: null };
  }
  return {
    count: h.count,
    min: h.minUs / 1000,
    max: h.maxUs / 1000,
    mean: Math.round(h.sumUs / h.count) / 1000,
    p50: percentileMs(h, 50),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    p999: percentileMs(h, 99.9),
  };
}

/** Add everything recorded in `from` to `into` (HDR `.add()`; percentiles merge, never average). */
export function merge(into: MsHistogram, from: MsHistogram): MsHistogram {
  if (from.count === 0) return into;
  into.hdr.add(from.hdr);
  into.clamped += from.clamped;
  into.count += from.count;
  into.sumUs += from.sumUs;
  into.minUs = Math.min(into.minUs, from.minUs);
  into.maxUs = Math.max(into.maxUs, from.maxUs);
  return into;
}

/**
 * HDR-style percentile curve (as HdrHistogram's percentile distribution): percentiles
 * 100·(1 − ½^(k/ticksPerHalf)) for k = 0, 1, … — 0, 12.9, 24.2, …, 50, …, 75, …, 99, … — until
 * 1/(1 − p) passes the count (beyond that the data cannot tell percentiles apart), in ms.
 * Plotted against 1/(1 − p) on a log axis, every "nine" gets the same width.
 */
export function percentileCurve(h: MsHistogram, ticksPerHalf = 4): Array<{ p: number; ms: number }> {
  if (h.count === 0) return [];
  const out: Array<{ p: number; ms: number }> = [];
  for (let k = 0; k <= ticksPerHalf * 40; k++) {
    const tail = 0.5 ** (k / ticksPerHalf);
    const p = Math.round((1 - tail) * 100 * 1e6) / 1e6;
    out.push({ p, ms: percentileMs(h, p) as number });
    if (1 / tail >= h.count) break;
  }
  return out;
}
