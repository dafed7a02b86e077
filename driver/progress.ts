/**
 * Live progress of a run: once a second, the start rate over the last second, requests in flight,
 * ok / errors / dropped so far and the p99 of E2E and TTFT so far. Sent to an `onProgress` hook,
 * and drawn as one self-overwriting terminal line only when the output is a TTY (a pipe or a CI
 * log stays quiet). Percentiles come from a log-bucketed histogram (1 % relative precision).
 */

/** Log-bucketed counts of positive values: O(1) add, quantiles within 1 % (relative). */
export class LiveHistogram {
  private static readonly RATIO = Math.log(1.01);
  private readonly counts = new Map<number, number>();
  count = 0;

  add(v: number): void {
    const b = v <= 0.001 ? -1000 : Math.floor(Math.log(v) / LiveHistogram.RATIO);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.count++;
  }

  /** value at quantile q in [0, 1] (upper edge of its bucket); NaN when empty */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b)!;
      if (seen >= rank) return b === -1000 ? 0 : Math.exp((b + 1) * LiveHistogram.RATIO);
    }
    return Number.NaN;
  }
}

export interface Progress {
  elapsedMs: number;
  /** iterations started per second over the last interval */
  rate: number;
  inFlight: number;
  ok: number;
  errors: number;
  dropped: number;
  /** p99 so far, ms (NaN before the first sample) */
  p99E2eMs: number;
  p99TtftMs: number;
}

export function formatProgress(p: Progress): string {
  const ms = (v: number): string => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)}ms` : '–');
  return (
    `stormlab ${(p.elapsedMs / 1000).toFixed(1)}s  rate ${p.rate.toFixed(1)}/s  in-flight ${p.inFlight}  ` +
    `ok ${p.ok}  errors ${p.errors}  dropped ${p.dropped}  p99 e2e ${ms(p.p99E2eMs)} ttft ${ms(p.p99TtftMs)}`
  );
}

export interface ProgressSink {
  /** draw a line on this stream (only when it is a TTY, unless forced) */
  stream?: NodeJS.WriteStream;
  /** true: always draw; false: never; undefined: when the stream is a TTY */
  draw?: boolean;
  onProgress?: (p: Progress) => void;
}

/** Ticks once a second while a run goes; `stop()` clears the line. */
export class ProgressReporter {
  private readonly e2e = new LiveHistogram();
  private readonly ttft = new LiveHistogram();
  private started = 0;
  private startedAtLastTick = 0;
  private lastTick: number;
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private readonly draw: boolean;
  private readonly stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly sink: ProgressSink,
    private readonly clock: () => number,
    private readonly counts: () => { inFlight: number; ok: number; errors: number; dropped: number },
  ) {
    this.stream = sink.stream;
    this.draw = sink.draw ?? (this.stream?.isTTY === true);
    this.lastTick = clock();
  }

  get active(): boolean {
    return this.draw || this.sink.onProgress !== undefined;
  }

  start(t0: number): void {
    if (!this.active) return;
    this.lastTick = t0;
    this.timer = setInterval(() => this.tick(t0), 1000);
    this.timer.unref();
  }

  onStart(): void {
    this.started++;
  }

  onResult(e2eMs: number | undefined, ttftMs: number | undefined): void {
    if (!this.active) return;
    if (e2eMs !== undefined) this.e2e.add(e2eMs);
    if (ttftMs !== undefined) this.ttft.add(ttftMs);
  }

  snapshot(t0: number): Progress {
    const t = this.clock();
    const dt = Math.max(1, t - this.lastTick);
    const p: Progress = {
      elapsedMs: t - t0,
      rate: ((this.started - this.startedAtLastTick) * 1000) / dt,
      ...this.counts(),
      p99E2eMs: this.e2e.quantile(0.99),
      p99TtftMs: this.ttft.quantile(0.99),
    };
    return p;
  }

  private tick(t0: number): void {
    const p = this.snapshot(t0);
    this.lastTick = this.clock();
    this.startedAtLastTick = this.started;
    this.sink.onProgress?.(p);
    if (this.draw && this.stream) {
      this.stream.write(`\r\x1b[2K${formatProgress(p)}`);
      this.drawn = true;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn && this.stream) this.stream.write('\r\x1b[2K');
  }
}
