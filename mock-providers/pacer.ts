/**
 * Writes on schedule. Each call has absolute due times (ms after its arrival); one timer per call
 * wakes at the next due time and hands over every piece that is due by then in one batch. Under
 * event-loop lag the pieces that fell behind go out together on the next wake instead of
 * drifting later and later (the schedule, not the previous write, is the clock), and a call
 * never has more than one timer. Nothing is written before its due time.
 */
import { performance } from 'node:perf_hooks';

export interface Pacer {
  /** stop: no more emits, the timer is cleared */
  cancel(): void;
  /** how many pieces were due by now (emitted or not) */
  dueCount(): number;
}

/**
 * @param startMs  performance.now() at arrival
 * @param offsets  non-decreasing due times, ms after startMs
 * @param emit     called with [from, to) of the pieces due now; `to === offsets.length` is the last call
 */
export function pace(startMs: number, offsets: Float64Array, emit: (from: number, to: number) => void): Pacer {
  const n = offsets.length;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;

  const tick = (): void => {
    timer = undefined;
    if (cancelled) return;
    const now = performance.now() - startMs;
    let to = next;
    while (to < n && offsets[to]! <= now) to++;
    if (to > next) {
      const from = next;
      next = to;
      emit(from, to);
    }
    if (next < n && !cancelled) {
      // whole milliseconds keep Node's timer lists few; the loop above re-checks on early wakes
      timer = setTimeout(tick, Math.max(1, Math.ceil(offsets[next]! - (performance.now() - startMs))));
    }
  };
  if (n > 0) tick();

  return {
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    dueCount() {
      const now = performance.now() - startMs;
      let k = 0;
      while (k < n && offsets[k]! <= now) k++;
      return k;
    },
  };
}
