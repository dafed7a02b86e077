/**
 * Precise waiting for the open-model scheduler: a timer for the long part, then `setImmediate`
 * turns for the last couple of milliseconds (so I/O keeps flowing while we close in on the
 * target). Times are `performance.now()` milliseconds.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';

/** Monotonic milliseconds. */
export function now(): number {
  return performance.now();
}

/** Below this many ms left, stop sleeping on timers and turn the event loop instead. */
const SPIN_MS = 2;

/** Resolve at (or just after) the monotonic time `targetMs`; early when `signal` aborts. */
export async function waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) return;
    const left = targetMs - now();
    if (left <= 0) return;
    if (left > SPIN_MS) {
      await sleep(left - SPIN_MS, undefined, { signal }).catch(() => undefined);
    } else {
      await immediate();
    }
  }
}
