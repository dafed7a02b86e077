/**
 * Open-model arrival schedule with k6's semantics. Pure TS (k6-safe).
 *
 * - constant-arrival-rate: iterations start evenly spaced at 0, T/r, 2T/r, … while the offset is
 *   before `duration` (k6's ticker), so `rate: 10, timeUnit: 1s, duration: 3s` gives 30 starts.
 * - ramping-arrival-rate: the rate is linearly interpolated from `startRate` through each stage's
 *   `target`; iteration k (k = 1, 2, …) starts where the integral of the rate reaches k — the
 *   "area" algorithm of k6's `RampingArrivalRateConfig.cal`. A ramp 0→10/s over 2 s then 10/s
 *   for 1 s yields 20 starts, the last exactly at 3 s.
 *
 * All offsets are milliseconds from the start of the test.
 */
import type { Arrival } from './spec-schema.js';

/** Float slack so that areas that are whole numbers on paper (10.000000000000002) count as whole. */
const EPS = 1e-9;

/** Intended start offsets (ms from test start), in order. */
export function* arrivalOffsets(arrival: Arrival): Generator<number, void, undefined> {
  if (arrival.executor === 'constant-arrival-rate') {
    // offset k = k·T/r; keep it while k·T < duration·r (exact in integers for whole inputs)
    const { rate, timeUnit, duration } = arrival;
    for (let k = 0; k * timeUnit < duration * rate - EPS; k++) yield (k * timeUnit) / rate;
    return;
  }
  const { timeUnit } = arrival;
  let fromU = arrival.startRate; // iterations per timeUnit
  let stageStart = 0;
  let doneSoFar = 0; // area (iterations) before this stage
  let i = 1;
  for (const stage of arrival.stages) {
    const dur = stage.duration;
    const endCount = doneSoFar + stageArea(dur, timeUnit, fromU, stage.target);
    const from = fromU / timeUnit; // iterations per ms
    const to = stage.target / timeUnit;
    if (from !== to) {
      // solve from·x + (to−from)·x²/(2·dur) = i − doneSoFar for x in [0, dur]
      for (; i <= endCount + EPS; i++) {
        const disc = dur * (from * from * dur + 2 * (i - doneSoFar) * (to - from));
        const x = (from * dur - Math.sqrt(Math.max(0, disc))) / (from - to);
        yield stageStart + Math.min(dur, Math.max(0, x));
      }
    } else if (to > 0) {
      for (; i <= endCount + EPS; i++) yield stageStart + Math.min(dur, (i - doneSoFar) / to);
    }
    doneSoFar = endCount;
    fromU = stage.target;
    stageStart += dur;
  }
}

/** How many iterations the schedule starts (the length of `arrivalOffsets`), computed in O(stages). */
export function expectedIterations(arrival: Arrival): number {
  if (arrival.executor === 'constant-arrival-rate') {
    const { rate, timeUnit, duration } = arrival;
    return Math.max(0, Math.ceil((duration * rate) / timeUnit - EPS));
  }
  return Math.floor(rampingArea(arrival) + EPS);
}

/** Length of the schedule in ms (constant: duration; ramping: sum of stage durations). */
export function totalDurationMs(arrival: Arrival): number {
  if (arrival.executor === 'constant-arrival-rate') return arrival.duration;
  return arrival.stages.reduce((s, st) => s + st.duration, 0);
}

/** Highest rate anywhere in the schedule, in iterations per second. */
export function peakRatePerSecond(arrival: Arrival): number {
  const perUnit =
    arrival.executor === 'constant-arrival-rate'
      ? arrival.rate
      : Math.max(arrival.startRate, ...arrival.stages.map((s) => s.target));
  return (perUnit * 1000) / arrival.timeUnit;
}

/** Integral of a ramping schedule's rate: the expected number of iterations, fractional. */
function rampingArea(arrival: Extract<Arrival, { executor: 'ramping-arrival-rate' }>): number {
  let from = arrival.startRate;
  let area = 0;
  for (const stage of arrival.stages) {
    area += stageArea(stage.duration, arrival.timeUnit, from, stage.target);
    from = stage.target;
  }
  return area;
}

/** Iterations in one linear stage: its duration in time units times the mean rate. */
function stageArea(durationMs: number, timeUnit: number, fromPerUnit: number, toPerUnit: number): number {
  return ((durationMs / timeUnit) * (fromPerUnit + toPerUnit)) / 2;
}
