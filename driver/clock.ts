/**
 * Precise waiting for the open-model scheduler: a timer for the long part; for the last couple
 * of milliseconds, event-loop turns (`setImmediate`, so I/O keeps flowing while we close in on
 * the target), each spinning at most SLICE_MS before it yields, and reading the clock only every
 * CHECK_EVERY empty iterations. Both keep the garbage of waiting (an Immediate per turn, a boxed
 * double per clock read) small — otherwise it triggers a scavenge every few dozen starts, which
 * shows up as schedule lag — while no I/O waits longer than a slice. Times are
 * `performance.now()` milliseconds.
 */
import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds. */
export function now(): number {
  return performance.now();
}

/** Below this many ms left, stop sleeping on timers and turn the event loop instead. */
const SPIN_MS = 2;
/** The longest a turn spins before it lets I/O in. */
const SLICE_MS = 0.05;
/**
 * Reading the clock allocates (a boxed double per call), so a spinning turn reads it only every
 * this many iterations of an empty loop (well under a microsecond).
 */
const CHECK_EVERY = 1024;
let sink = 0;

/** Resolve at (or just after) the monotonic time `targetMs`; early when `signal` aborts. */
export function waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const tick = (): void => {
      timer = undefined;
      if (signal?.aborted) return done();
      let t = now();
      const left = targetMs - t;
      if (left <= 0) return done();
      if (left > SPIN_MS) {
        timer = setTimeout(tick, left - SPIN_MS);
        return;
      }
      const until = Math.min(targetMs, t + SLICE_MS);
      while (t < until) {
        for (let i = 0; i < CHECK_EVERY; i++) sink = (sink + i) | 0;
        t = now();
      }
      if (t >= targetMs) return done();
      setImmediate(tick);
    };
    if (signal && !signal.aborted) signal.addEventListener('abort', done, { once: true });
    tick();
  });
}
