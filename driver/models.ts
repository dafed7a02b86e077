/**
 * The two load models over one run state.
 *
 * Open (arrival-rate executors): starts follow the schedule whether or not earlier iterations
 * finished. Each start records `schedule_lag` (actual − intended, ms); when the in-flight cap is
 * reached the start is dropped and counted (`dropped_iterations`), never queued. Latency counts
 * from the intended start. Iteration i is `planRequest(spec, i)` with i its position in the whole
 * schedule (dropped starts and other segments' starts keep their index).
 *
 * Closed (constant-vus): each VU starts its next iteration when the previous one finished, until
 * the duration is over; latency counts from the actual start (there is no schedule to miss).
 * VU v's j-th iteration is index j·vus + v, so VUs — also across segments — never collide.
 */
import { concurrencyLimit, isOpenModel } from '../scenarios/schedule.js';
import { segmentFirstVu, segmentShare, segmentStarts, type ExecutionSegment } from '../scenarios/segment.js';
import type { Spec } from '../scenarios/spec-schema.js';
import { scenarioName } from '../scenarios/workload.js';
import { now, waitUntil } from './clock.js';
import type { Recorder } from './recorder.js';
import type { SendContext } from './send.js';

export interface RunState {
  spec: Spec;
  ctx: SendContext;
  rec: Recorder;
  /** monotonic ms of the test's time zero */
  t0: number;
  segment: ExecutionSegment;
  inFlight: Set<Promise<void>>;
  counts: { ok: number; errors: number; dropped: number; interrupted: number };
  /** aborted once no new iteration may start (a graceful stop, or the run's hard stop) */
  starts: AbortSignal;
  /** run iteration `index`, due at monotonic `dueMs` (counts it as active while it runs) */
  iterate(index: number, dueMs: number): Promise<void>;
}

/** Starts in a row without yielding before the scheduler lets responses in (when running late). */
const BURST = 16;

/** The in-flight cap of this segment (at least 1). */
export function segmentLimit(spec: Spec, seg: ExecutionSegment): number {
  return Math.max(1, segmentShare(seg, concurrencyLimit(spec.arrival)));
}

export async function runOpenModel(s: RunState): Promise<void> {
  const { spec, rec, t0, inFlight, starts } = s;
  const maxInFlight = segmentLimit(spec, s.segment);
  const scenarioTags = { scenario: scenarioName(spec) };
  let burst = 0;
  for (const { index, offset } of segmentStarts(spec.arrival, spec.workload.seed, s.segment)) {
    const due = t0 + offset;
    if (now() < due) {
      burst = 0;
      await waitUntil(due, starts);
    } else if (++burst >= BURST) {
      burst = 0;
      await new Promise<void>((r) => setImmediate(r));
    }
    if (starts.aborted) break;
    rec.point('schedule_lag', Math.max(0, now() - due), scenarioTags, offset);
    if (inFlight.size >= maxInFlight) {
      s.counts.dropped++;
      rec.point('dropped_iterations', 1, scenarioTags, offset);
      continue;
    }
    const p: Promise<void> = s.iterate(index, due).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
}

export async function runClosedModel(s: RunState): Promise<void> {
  const { spec, starts, inFlight } = s;
  if (isOpenModel(spec.arrival)) throw new RangeError('runClosedModel needs a constant-vus arrival');
  const total = spec.arrival.vus;
  const vus = segmentShare(s.segment, total);
  const firstVu = segmentFirstVu(s.segment, total);
  const end = s.t0 + spec.arrival.duration;
  const loop = async (vu: number): Promise<void> => {
    for (let j = 0; now() < end && !starts.aborted; j++) {
      await s.iterate(j * total + vu, now());
    }
  };
  for (let v = 0; v < vus; v++) {
    const p: Promise<void> = loop(firstVu + v).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await waitUntil(end, starts);
}
