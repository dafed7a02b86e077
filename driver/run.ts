/**
 * The native open-model load driver: runs a spec without k6 and writes the same NDJSON samples.
 *
 * - Starts follow `arrivalOffsets` whether or not earlier requests finished. Each start records
 *   `schedule_lag` (actual − intended, ms). When `maxInFlight` requests are already in flight the
 *   start is dropped and counted (`dropped_iterations`), never queued.
 * - Request i is `planRequest(spec, i)` where i is the start's position in the schedule (dropped
 *   starts keep their index), so the same spec and seed always send the same request at the same
 *   offset.
 * - Every latency counts from the intended start; every point is timed at it.
 * - Ends by itself after the last start once in-flight requests finish (each bounded by
 *   spec.timeout). `signal` stops it early; requests cut by the stop are `interrupted` and leave
 *   no samples. abortOnFail thresholds are checked once a second and stop it the same way.
 */
import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { arrivalOffsets } from '../scenarios/schedule.js';
import type { Spec } from '../scenarios/spec-schema.js';
import type { ThresholdResult } from '../scenarios/thresholds.js';
import { planRequest, scenarioName } from '../scenarios/workload.js';
import { now, waitUntil } from './clock.js';
import { NdjsonWriter } from './ndjson.js';
import { Recorder, TTFT_DEFINITION } from './recorder.js';
import { send, type SendResult } from './send.js';
import { abortBreach, evaluateAll, hasAbortingThresholds } from './thresholds.js';

export interface DriverOptions {
  spec: Spec;
  /** base URL of the system under test; requests go to `<target>/v1/chat/completions` */
  target: string;
  /** extra request headers (e.g. auth for a third-party gateway) */
  headers?: Record<string, string>;
  /** NDJSON destination: a file path (created, then closed) or a stream (flushed, left open) */
  out: string | NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface DriverResult {
  /** requests sent (ok + errors; interrupted ones are not counted) */
  requests: number;
  ok: number;
  errors: number;
  /** starts dropped because maxInFlight requests were in flight */
  dropped: number;
  /** requests cut short by `signal` or an abortOnFail threshold (no samples written) */
  interrupted: number;
  /** why the run stopped early, if it did */
  aborted?: 'signal' | 'threshold';
  startedAtMs: number;
  durationMs: number;
  ttftDefinition: 'first-content-chunk';
  thresholds: ThresholdResult[];
}

/** `<target>/v1/chat/completions`, tolerating a trailing slash on the base URL. */
export function chatCompletionsUrl(target: string): string {
  return `${target.replace(/\/+$/, '')}/v1/chat/completions`;
}

/** Starts in a row without yielding before the scheduler lets responses in (when running late). */
const BURST = 16;
/** Extra grace after the per-request timeout before stragglers are cut at the end. */
const DRAIN_GRACE_MS = 1000;

export async function runDriver(opts: DriverOptions): Promise<DriverResult> {
  const { spec } = opts;
  const maxInFlight = spec.arrival.maxInFlight;
  const writer = new NdjsonWriter(opts.out);
  const startedAtMs = Date.now();
  const t0 = now();
  const rec = new Recorder(writer, startedAtMs);
  rec.writeMetricLines(spec);

  const run = new AbortController();
  setMaxListeners(0, run.signal); // one listener per in-flight request
  let aborted: DriverResult['aborted'];
  const stop = (why: 'signal' | 'threshold'): void => {
    aborted ??= why;
    run.abort();
  };
  const onSignal = (): void => stop('signal');
  if (opts.signal?.aborted) stop('signal');
  opts.signal?.addEventListener('abort', onSignal, { once: true });

  const dispatcher = new Agent({ connections: maxInFlight, pipelining: 1, keepAliveTimeout: 30_000 });
  const ctx = { url: chatCompletionsUrl(opts.target), headers: opts.headers ?? {}, dispatcher, timeoutMs: spec.timeout, signal: run.signal };
  const scenarioTags = { scenario: scenarioName(spec) };
  const counts = { ok: 0, errors: 0, dropped: 0, interrupted: 0 };
  const inFlight = new Set<Promise<void>>();

  const watchdog = hasAbortingThresholds(spec)
    ? setInterval(() => {
        if (abortBreach(spec, rec.store, now() - t0)) stop('threshold');
      }, 1000)
    : undefined;

  const finish = (r: SendResult, offset: number): void => {
    if (r.interrupted && aborted) {
      counts.interrupted++;
      return;
    }
    // cut at the end because it outlived the drain bound: that is a timeout of the system under test
    if (r.interrupted) r.outcome.failure = 'timeout';
    rec.result(r, offset);
    if (r.outcome.failure) counts.errors++;
    else counts.ok++;
  };

  try {
    let index = 0;
    let burst = 0;
    for (const offset of arrivalOffsets(spec.arrival)) {
      const due = t0 + offset;
      if (now() < due) {
        burst = 0;
        await waitUntil(due, run.signal);
      } else if (++burst >= BURST) {
        burst = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
      if (run.signal.aborted) break;
      const i = index++;
      rec.point('schedule_lag', Math.max(0, now() - due), scenarioTags, offset);
      if (inFlight.size >= maxInFlight) {
        counts.dropped++;
        rec.point('dropped_iterations', 1, scenarioTags, offset);
        continue;
      }
      const p: Promise<void> = send(ctx, planRequest(spec, i), due)
        .then((r) => finish(r, offset))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await drain(inFlight, spec.timeout + DRAIN_GRACE_MS, run);
  } finally {
    if (watchdog) clearInterval(watchdog);
    opts.signal?.removeEventListener('abort', onSignal);
    if (!run.signal.aborted) run.abort();
    await Promise.allSettled(inFlight);
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
    startedAtMs,
    durationMs,
    ttftDefinition: TTFT_DEFINITION,
    thresholds: evaluateAll(spec, rec.store, durationMs),
  };
  if (aborted) result.aborted = aborted;
  return result;
}

/** Wait for in-flight requests, at most `boundMs`; then cut the rest. */
async function drain(inFlight: Set<Promise<void>>, boundMs: number, run: AbortController): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((r) => {
    timer = setTimeout(r, boundMs);
  });
  const stopped = new Promise<void>((r) => run.signal.addEventListener('abort', () => r(), { once: true }));
  await Promise.race([Promise.allSettled([...inFlight]), bound, stopped]);
  clearTimeout(timer);
}

/** True when every threshold passed (the CLI exits 99 otherwise). */
export function thresholdsPassed(result: Pick<DriverResult, 'thresholds'>): boolean {
  return result.thresholds.every((t) => t.ok);
}
