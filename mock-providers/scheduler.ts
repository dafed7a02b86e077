/**
 * One clock for every due time in the process: a min-heap of timers (due time, then the order
 * they were set in) and a single wake-up, instead of a Node timer per call.
 *
 * Node timers wake on whole milliseconds of a cached clock (up to ~1 ms late, sometimes early),
 * so a wake-up has two stages: a Node timer armed to fire about `COARSE_LEAD_MS` before the
 * earliest due time, then — only within the last `FINE_WINDOW_MS` — a precise wait: the thread
 * sleeps in slices of at most `SLICE_MS` (Atomics.wait: no spinning, no CPU burnt), and between
 * slices the event loop polls its sockets (setImmediate), so I/O never waits longer than a slice.
 * A timer never runs before its due time; every timer due by a wake runs in that wake, earliest
 * first (the clock is re-read between runs, so a long batch picks up what fell due meanwhile).
 * A timer object is reusable (`set` again from its own callback): a call keeps one for all its
 * due times, so the hot path allocates nothing. After each batch an optional hook runs; the
 * process-wide instance paces V8's young generation there while streams are live (gc-pacing.ts).
 */
import { performance } from 'node:perf_hooks';
import { youngGenPacer } from './gc-pacing.js';

export interface Timer {
  /** (re)schedule to run at `at` (performance.now() ms), replacing any earlier setting */
  set(at: number): void;
  /** unschedule; idempotent, harmless once it ran */
  cancel(): void;
  /** set and not yet run or cancelled */
  readonly pending: boolean;
  /** the due time it was last set to (performance.now() ms) */
  readonly at: number;
}

export interface SchedulerOptions {
  /** wait precisely through the last FINE_WINDOW_MS (default true); false: Node timers only (whole ms) */
  precise?: boolean;
  /** called after each batch of runs with the time and the timers still pending (GC pacing: gc-pacing.ts) */
  afterBatch?: ((now: number, pending: number) => void) | null;
}

/** arm the Node timer this much before the earliest due time (it fires up to ~1 ms late) */
const COARSE_LEAD_MS = 1;
/** within this of the earliest due time, wait precisely */
const FINE_WINDOW_MS = 2;
/** the longest the thread sleeps without polling I/O */
const SLICE_MS = 0.25;

class Entry implements Timer {
  at = 0;
  seq = 0;
  /** position in the heap; -1 when not pending */
  index = -1;
  constructor(
    private readonly owner: Scheduler,
    readonly run: () => void,
  ) {}
  get pending(): boolean {
    return this.index >= 0;
  }
  set(at: number): void {
    this.owner.insert(this, at);
  }
  cancel(): void {
    if (this.index >= 0) this.owner.remove(this);
  }
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private nodeTimer: NodeJS.Timeout | undefined;
  /** the due time the armed Node timer was set for */
  private timerFor = Infinity;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private readonly precise: boolean;
  private readonly afterBatch: ((now: number, pending: number) => void) | null;
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));

  constructor(o: SchedulerOptions = {}) {
    this.precise = o.precise ?? true;
    this.afterBatch = o.afterBatch ?? null;
  }

  /** timers pending */
  get size(): number {
    return this.heap.length;
  }

  /** A timer that runs `run` when due; not pending until `set`. */
  timer(run: () => void): Timer {
    return new Entry(this, run);
  }

  /** Run `run` at `at` (performance.now() ms), or as soon after as the event loop allows. */
  at(at: number, run: () => void): Timer {
    const t = new Entry(this, run);
    this.insert(t, at);
    return t;
  }

  /** @internal (Entry.set) */
  insert(e: Entry, at: number): void {
    if (e.index >= 0) this.remove(e);
    e.at = at;
    e.seq = this.seq++;
    e.index = this.heap.length;
    this.heap.push(e);
    this.up(e.index);
    if (!this.running && this.heap[0] === e) this.arm();
  }

  /** @internal (Entry.cancel) */
  remove(e: Entry): void {
    const i = e.index;
    e.index = -1;
    const last = this.heap.pop()!;
    if (last !== e) {
      this.heap[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    if (this.heap.length === 0) this.disarm();
  }

  /** run every timer due by now, earliest first */
  private runDue(): void {
    this.running = true;
    try {
      let now = performance.now();
      for (let first = this.heap[0]; first !== undefined && first.at <= now; first = this.heap[0]) {
        this.remove(first);
        first.run();
        now = performance.now();
      }
    } finally {
      this.running = false;
    }
  }

  private readonly onTimer = (): void => {
    this.nodeTimer = undefined;
    this.timerFor = Infinity;
    this.wake();
  };

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.wake();
  };

  private wake(): void {
    try {
      this.runDue();
      this.afterBatch?.(performance.now(), this.heap.length);
      const first = this.heap[0];
      if (this.precise && first) {
        const rest = first.at - performance.now();
        if (rest > 0 && rest <= FINE_WINDOW_MS) {
          Atomics.wait(this.cell, 0, 0, Math.min(rest, SLICE_MS));
          this.runDue();
        }
      }
    } finally {
      this.arm();
    }
  }

  /** set up the next wake for the earliest timer */
  private arm(): void {
    const first = this.heap[0];
    if (!first) return this.disarm();
    if (this.immediate) return;
    const rest = first.at - performance.now();
    if (rest <= 0 || (this.precise && rest <= FINE_WINDOW_MS)) {
      this.clearTimer();
      this.immediate = setImmediate(this.onImmediate);
      return;
    }
    if (this.nodeTimer && this.timerFor <= first.at) return; // wakes early enough already
    this.clearTimer();
    this.nodeTimer = setTimeout(this.onTimer, this.precise ? Math.max(1, Math.floor(rest - COARSE_LEAD_MS)) : Math.ceil(rest));
    this.timerFor = first.at;
  }

  private disarm(): void {
    this.clearTimer();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private clearTimer(): void {
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.timerFor = Infinity;
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!before(e, parent)) break;
      h[i] = parent;
      parent.index = i;
      i = p;
    }
    h[i] = e;
    e.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!before(child, e)) break;
      h[i] = child;
      child.index = i;
      i = c;
    }
    h[i] = e;
    e.index = i;
  }
}

/** the process-wide scheduler every pacer uses, pacing the young generation while streams are live */
export const scheduler = new Scheduler({ afterBatch: youngGenPacer() });
