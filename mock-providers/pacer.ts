/**
 * Writes on schedule. Each call has absolute due times (ms after its arrival); the call holds one
 * timer on the shared scheduler (scheduler.ts), set to its next due time, and each wake hands over
 * every piece that is due by then in one batch. Under event-loop lag the pieces that fell behind
 * go out together on the next wake instead of drifting later and later (the schedule, not the
 * previous write, is the clock). Nothing is written before its due time.
 */
import { performance } from 'node:perf_hooks';
import { scheduler as shared, type Scheduler } from './scheduler.js';

export interface Pacer {
  /** stop: no more emits, the timer is cancelled */
  cancel(): void;
  /** hold the emits (the writer's socket is full); due times keep running */
  pause(): void;
  /** emit everything due meanwhile in one batch, then go on on schedule */
  resume(): void;
  /** how many pieces were due by now (emitted or not) */
  dueCount(): number;
}

/**
 * @param startMs  performance.now() at arrival
 * @param offsets  non-decreasing due times, ms after startMs
 * @param emit     called with [from, to) of the pieces due now; `to === offsets.length` is the last call
 */
export function pace(startMs: number, offsets: Float64Array, emit: (from: number, to: number) => void, scheduler: Scheduler = shared): Pacer {
  const n = offsets.length;
  let next = 0;
  let cancelled = false;
  let paused = false;

  const tick = (): void => {
    if (cancelled || paused) return;
    // absolute times, compared as the scheduler compares them
    const now = performance.now();
    let to = next;
    while (to < n && startMs + offsets[to]! <= now) to++;
    if (to > next) {
      const from = next;
      next = to;
      emit(from, to);
    }
    if (next < n && !cancelled) timer.set(startMs + offsets[next]!);
  };
  const timer = scheduler.timer(tick);
  if (n > 0) tick();

  return {
    cancel() {
      cancelled = true;
      timer.cancel();
    },
    pause() {
      paused = true;
      timer.cancel();
    },
    resume() {
      if (!paused) return;
      paused = false;
      tick();
    },
    dueCount() {
      const now = performance.now() - startMs;
      let k = 0;
      while (k < n && offsets[k]! <= now) k++;
      return k;
    },
  };
}
