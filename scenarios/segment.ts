/**
 * Execution segments: several runners split one spec, as k6's `--execution-segment` does. A
 * segment is a slice [from, to) of [0, 1); iteration i of the schedule belongs to the segment
 * holding the point frac(i·φ) (φ the golden ratio conjugate) — a low-discrepancy sequence, so
 * every segment gets its share of any stretch of the schedule, the segments of a partition never
 * overlap and together they cover every iteration, whatever their sizes. Pure TS.
 *
 * Forms: `"0:1/3"`, `"1/3:2/3"`, `"2/3:1"` (k6's), `"1/2"` (= `0:1/2`), `"25%:50%"`, decimals, or
 * `{ index, count }` (the index-th of count equal parts: `{ index: 1, count: 3 }` ≡ `"1/3:2/3"`).
 */
import { StormlabError } from '../core/errors.js';
import { arrivalOffsets } from './schedule.js';
import type { Arrival } from './arrival-schema.js';

export interface ExecutionSegment {
  from: number;
  to: number;
  /** as given, for messages and tags */
  label: string;
}

export type SegmentInput = string | { index: number; count: number } | ExecutionSegment;

export const WHOLE: ExecutionSegment = { from: 0, to: 1, label: '0:1' };

const PHI = (Math.sqrt(5) - 1) / 2;

const FORMS = 'a segment such as 0:1/3, 1/3:2/3, 1/2, 25%:50% or {index, count}';

function bad(received: string, why: string): StormlabError {
  return new StormlabError('SL_USAGE', `not an execution segment: ${received} (${why})`, [{ path: 'segment', expected: FORMS, received }]);
}

function fraction(text: string): number {
  const t = text.trim();
  let v: number;
  if (/^\d+\/\d+$/.test(t)) {
    const [n, d] = t.split('/').map(Number) as [number, number];
    v = d === 0 ? Number.NaN : n / d;
  } else if (/^\d+(\.\d+)?%$/.test(t)) v = Number(t.slice(0, -1)) / 100;
  else if (/^\d+(\.\d+)?$/.test(t)) v = Number(t);
  else v = Number.NaN;
  if (!(v >= 0 && v <= 1)) throw bad(JSON.stringify(text), 'each bound is 0..1, as 1/3, 0.5 or 25%');
  return v;
}

/** Parse a segment; bad input is an SL_USAGE error naming the accepted forms. */
export function parseSegment(input: SegmentInput): ExecutionSegment {
  if (typeof input === 'object' && 'from' in input) return input;
  if (typeof input === 'object') {
    const { index, count } = input;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
      throw bad(`{index: ${index}, count: ${count}}`, 'integers with 0 <= index < count');
    }
    return { from: index / count, to: (index + 1) / count, label: `${index}/${count}:${index + 1}/${count}` };
  }
  const parts = input.split(':');
  if (parts.length > 2) throw bad(JSON.stringify(input), 'from:to such as 0:1/3');
  const [from, to] = parts.length === 2 ? [fraction(parts[0]!), fraction(parts[1]!)] : [0, fraction(parts[0]!)];
  if (!(from < to)) throw bad(JSON.stringify(input), 'from < to');
  return { from, to, label: input };
}

/** Does iteration `index` of the schedule belong to the segment? */
export function inSegment(seg: ExecutionSegment, index: number): boolean {
  if (seg.from === 0 && seg.to === 1) return true;
  const x = (index * PHI) % 1;
  return x >= seg.from && x < seg.to;
}

export interface ScheduledStart {
  /** position in the whole schedule: the request plan index, the same in every segment */
  index: number;
  /** intended start, ms from the test start */
  offset: number;
}

/** The segment's share of the schedule: global indices and offsets, in order. */
export function* segmentStarts(arrival: Arrival, seed: number, seg: ExecutionSegment = WHOLE): Generator<ScheduledStart, void, undefined> {
  let index = 0;
  for (const offset of arrivalOffsets(arrival, seed)) {
    if (inSegment(seg, index)) yield { index, offset };
    index++;
  }
}

/** A segment's share of a whole count (VUs, in-flight cap), k6's rounding: the shares of a partition add up to the total. */
export function segmentShare(seg: ExecutionSegment, total: number): number {
  return Math.round(total * seg.to) - Math.round(total * seg.from);
}

/** First global VU number of a segment (closed model): VUs are numbered across all segments. */
export function segmentFirstVu(seg: ExecutionSegment, total: number): number {
  return Math.round(total * seg.from);
}
