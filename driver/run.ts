/**
 * The native load driver: runs a spec without k6 and writes the same NDJSON samples.
 *
 * - Open model (arrival-rate executors) or closed model (constant-vus): see ./models.ts.
 * - Every latency counts from the intended start; every point is timed at it.
 * - `segment` runs one disjoint share of the schedule (k6 execution segments), so N processes
 *   can split a spec; their NDJSON outputs merge (./merge.ts).
 * - Ends by itself after the last start once in-flight iterations finish (bounded by
 *   spec.timeout + 1 s, k6's gracefulStop). `stop` ends it gracefully (no new starts; in-flight
 *   requests get `stopGraceMs` to finish); `signal` stops it at once. Requests cut by either are
 *   `interrupted` and leave no samples. abortOnFail thresholds are checked once a second and
 *   stop it at once too. Thresholds are evaluated at the end: `driverExitCode` is 99 when one
 *   failed, as k6's.
 * - A live progress line (rate, in-flight, errors, p99 so far) is drawn on a TTY only.
 */
import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { isOpenModel } from '../scenarios/schedule.js';
import { parseSegment, type SegmentInput } from '../scenarios/segment.js';
import type { Spec } from '../scenarios/spec-schema.js';
import type { ThresholdResult } from '../scenarios/thresholds.js';
import { planRequest } from '../scenarios/workload.js';
import { now } from './clock.js';
import { runIteration } from './iteration.js';
import { runClosedModel, runOpenModel, segmentLimit, type RunState } from './models.js';
import { NdjsonWriter } from './ndjson.js';
import { ProgressReporter, type Progress } from './progress.js';
import { Recorder, thresholdMetrics, TTFT_DEFINITION } from './recorder.js';
import type { SendResult } from './send.js';
import { percentileOf } from './stats.js';
import { abortBreach, evaluateAll, hasAbortingThresholds } from './thresholds.js';

export interface DriverOptions {
  spec: Spec;
  /** base URL of the system under test; requests go to `<target>/v1/chat/completions` */
  target: string;
  /**
   * per client region (a spec topology's `client_region` tag): the base URL its requests go to
   * instead of `target` (the lab's relay in front of the region's nearest gateway)
   */
  targets?: Record<string, string>;
  /** extra request headers (e.g. auth for a third-party gateway); a class's own headers win */
  headers?: Record<string, string>;
  /** NDJSON destination: a file path (created, then closed) or a stream (flushed, left open) */
  out: string | NodeJS.WritableStream;
  /** stop at once: no new starts, in-flight requests cut */
  signal?: AbortSignal;
  /** stop gracefully: no new starts (nor next conversation turns); in-flight requests get `stopGraceMs`, then are cut */
  stop?: AbortSignal;
  /** how long in-flight requests may still finish after `stop` (default 5000 ms) */
  stopGraceMs?: number;
  /** run only this share of the schedule: `'0:1/3'`, `'1/3:2/3'`, `{ index: 0, count: 3 }` … (default: all) */
  segment?: SegmentInput;
  /** draw the live progress line: default when stdout and `progressStream` are TTYs */
  progress?: boolean;
  /** where the line goes (default process.stderr) */
  progressStream?: NodeJS.WriteStream;
  /** called once a second with the live numbers, TTY or not */
  onProgress?: (p: Progress) => void;
}

export interface DriverResult {
  /** requests sent (ok + errors; interrupted ones are not counted); a conversation counts each turn */
  requests: number;
  ok: number;
  errors: number;
  /** starts dropped because the in-flight cap was reached (open model) */
  dropped: number;
  /**
   * requests cut short by `signal`, the end of `stop`'s grace, an abortOnFail threshold or the
   * end-of-run bound (no samples written)
   */
  interrupted: number;
  /** why the run stopped early, if it did: `stop` is the graceful one */
  aborted?: 'signal' | 'threshold' | 'stop';
  model: 'open' | 'closed';
  /** the segment this process ran, e.g. `0:1` (all), `1/3:2/3` */
  segment: string;
  startedAtMs: number;
  durationMs: number;
  /** actual − intended start, ms (open model; undefined without starts) */
  scheduleLag?: { p50: number; p99: number; max: number; count: number };
  ttftDefinition: 'first-content-chunk';
  thresholds: ThresholdResult[];
}

/** `<target>/v1/chat/completions`, tolerating a trailing slash on the base URL. */
export function chatCompletionsUrl(target: string): string {
  return `${target.replace(/\/+$/, '')}/v1/chat/completions`;
}

/** Extra grace after the per-request timeout before stragglers are cut at the end (k6's gracefulStop). */
const DRAIN_GRACE_MS = 1000;
/** How long in-flight requests may finish after a graceful `stop`, unless the caller says. */
export const DEFAULT_STOP_GRACE_MS = 5000;

export async function runDriver(opts: DriverOptions): Promise<DriverResult> {
  const { spec } = opts;
  const segment = parseSegment(opts.segment ?? { index: 0, count: 1 });
  const writer = new NdjsonWriter(opts.out);
  const startedAtMs = Date.now();
  const t0 = now();
  const rec = new Recorder(writer, startedAtMs, new Set([...thresholdMetrics(spec), 'schedule_lag']));
  rec.writeMetricLines(spec);

  // `starting` aborted: no new starts; `run` aborted: in-flight requests are cut
  const starting = new AbortController();
  const run = new AbortController();
  setMaxListeners(0, run.signal); // one listener per in-flight request
  setMaxListeners(0, starting.signal); // one per conversation between turns
  let aborted: DriverResult['aborted'];
  const stop = (why: 'signal' | 'threshold'): void => {
    aborted ??= why;
    starting.abort();
    run.abort();
  };
  const onSignal = (): void => stop('signal');
  const onStop = (): void => {
    aborted ??= 'stop';
    starting.abort();
  };
  if (opts.signal?.aborted) stop('signal');
  else if (opts.stop?.aborted) onStop();
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  opts.stop?.addEventListener('abort', onStop, { once: true });

  const limit = segmentLimit(spec, segment);
  const dispatcher = new Agent({ connections: limit, pipelining: 1, keepAliveTimeout: 30_000 });
  const targets = opts.targets ? Object.entries(opts.targets) : undefined;
  const urls = targets ? Object.fromEntries(targets.map(([r, t]) => [r, chatCompletionsUrl(t)])) : undefined;
  const ctx = {
    url: chatCompletionsUrl(opts.target),
    ...(urls ? { urls } : {}),
    headers: opts.headers ?? {},
    dispatcher,
    timeoutMs: spec.timeout,
    signal: run.signal,
  };
  const counts = { ok: 0, errors: 0, dropped: 0, interrupted: 0 };
  let active = 0;
  const stream = opts.progressStream ?? process.stderr;
  const progress = new ProgressReporter(
    { stream, draw: opts.progress ?? (process.stdout.isTTY === true && stream.isTTY === true && opts.out !== process.stdout), onProgress: opts.onProgress },
    now,
    () => ({ inFlight: active, ok: counts.ok, errors: counts.errors, dropped: counts.dropped }),
  );

  const finish = (r: SendResult, dueMs: number): void => {
    // cut by a stop or by the end-of-run bound: not a result of the system under test
    if (r.interrupted) {
      counts.interrupted++;
      return;
    }
    rec.result(r, dueMs - t0);
    progress.onResult(r.outcome.failure ? undefined : r.outcome.e2eMs, r.outcome.failure ? undefined : r.outcome.ttftMs);
    if (r.outcome.failure) counts.errors++;
    else counts.ok++;
  };
  const state: RunState = {
    spec,
    ctx,
    rec,
    t0,
    segment,
    inFlight: new Set(),
    counts,
    starts: starting.signal,
    iterate: async (index, dueMs) => {
      active++;
      progress.onStart();
      try {
        await runIteration(spec, ctx, planRequest(spec, index), dueMs, finish, starting.signal);
      } finally {
        active--;
      }
    },
  };

  const watchdog = hasAbortingThresholds(spec)
    ? setInterval(() => {
        if (abortBreach(spec, rec.store, now() - t0)) stop('threshold');
      }, 1000)
    : undefined;
  progress.start(t0);
  const open = isOpenModel(spec.arrival);
  try {
    await (open ? runOpenModel(state) : runClosedModel(state));
    const stopGraceMs = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    await drain(state.inFlight, spec.timeout + DRAIN_GRACE_MS, run, { signal: starting.signal, graceMs: stopGraceMs });
  } finally {
    if (watchdog) clearInterval(watchdog);
    progress.stop();
    opts.signal?.removeEventListener('abort', onSignal);
    opts.stop?.removeEventListener('abort', onStop);
    if (!run.signal.aborted) run.abort();
    await Promise.allSettled(state.inFlight);
    await dispatcher.destroy().catch(() => undefined);
    await writer.close();
  }
  const durationMs = now() - t0;
  const result: DriverResult = {
    requests: counts.ok + counts.errors,
    ok: counts.ok,
    errors: counts.errors,
    dropped: counts.dropped,
    interrupted: counts.interrupted,
    model: open ? 'open' : 'closed',
    segment: segment.label,
    startedAtMs,
    durationMs,
    ttftDefinition: TTFT_DEFINITION,
    thresholds: evaluateAll(spec, rec.store, durationMs),
  };
  const lag = Float64Array.from(rec.store.values('schedule_lag')).sort();
  if (lag.length > 0) {
    const arr = Array.from(lag);
    result.scheduleLag = { p50: percentileOf(arr, 50), p99: percentileOf(arr, 99), max: arr[arr.length - 1]!, count: arr.length };
  }
  if (aborted) result.aborted = aborted;
  return result;
}

/**
 * Wait for in-flight iterations, at most `boundMs` (or `stop.graceMs` from the moment `stop.signal`
 * aborts, when that is sooner); the caller then cuts the rest.
 */
async function drain(
  inFlight: Set<Promise<void>>,
  boundMs: number,
  run: AbortController,
  stop: { signal: AbortSignal; graceMs: number },
): Promise<void> {
  if (inFlight.size === 0 || run.signal.aborted) return;
  const timers: NodeJS.Timeout[] = [];
  const listeners: Array<[AbortSignal, () => void]> = [];
  const after = (ms: number) => new Promise<void>((r) => timers.push(setTimeout(r, ms)));
  const onAbort = (signal: AbortSignal, then: () => void): void => {
    if (signal.aborted) return then();
    listeners.push([signal, then]);
    signal.addEventListener('abort', then, { once: true });
  };
  const cut = new Promise<void>((r) => onAbort(run.signal, r));
  const graceOver = new Promise<void>((r) => onAbort(stop.signal, () => void after(stop.graceMs).then(r)));
  await Promise.race([Promise.allSettled([...inFlight]), after(boundMs), cut, graceOver]);
  for (const t of timers) clearTimeout(t);
  for (const [signal, then] of listeners) signal.removeEventListener('abort', then);
}

/** True when every threshold passed. */
export function thresholdsPassed(result: Pick<DriverResult, 'thresholds'>): boolean {
  return result.thresholds.every((t) => t.ok);
}

/** The process exit code k6 would give: 99 when a threshold failed, else 0. */
export function driverExitCode(result: Pick<DriverResult, 'thresholds'>): number {
  return thresholdsPassed(result) ? 0 : 99;
}
