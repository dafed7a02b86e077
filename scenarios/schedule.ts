/**
 * Open-model arrival schedule with k6's semantics. Pure TS (k6-safe).
 *
 * - constant-arrival-rate: iterations start evenly spaced at 0, T/r, 2T/r, … while the offset is
 *   before `duration` (k6's ticker), so `rate: 10, timeUnit: 1s, duration: 3s` gives 30 starts.
 * - ramping-arrival-rate: the rate is linearly interpolated from `startRate` through each stage's
 *   `target`; iteration k (k = 1, 2, …) starts where the integral of the rate reaches k — the
 *   "area" algorithm of k6's `RampingArrivalRateConfig.cal`. A ramp 0→10/s over 2 s then 10/s
 *   for 1 s yields 20 starts, the last exactly at 3 s.
 * - `poisson: true`: a (non-homogeneous) Poisson process with the same rate function, by time
 *   rescaling — start k is where the integral of the rate reaches E₁ + … + E_k, with E seeded
 *   unit exponentials. The same seed gives the same starts.
 * - constant-vus (closed model) has no schedule: see `isOpenModel`.
 *
 * All offsets are milliseconds from the start of the test.
 */
import { deriveSeed, Rng } from '../core/random.js';
import type { Arrival, OpenArrival } from './arrival-schema.js';

/** Float slack so that areas that are whole numbers on paper (10.000000000000002) count as whole. */
const EPS = 1e-9;

export function isOpenModel(arrival: Arrival): arrival is OpenArrival {
  return arrival.executor !== 'constant-vus';
}

function openOnly(arrival: Arrival, what: string): OpenArrival {
  if (!isOpenModel(arrival)) throw new RangeError(`${what}: constant-vus is a closed model and has no arrival schedule`);
  return arrival;
}

/** Unit-exponential cumulative sums: the area targets of a Poisson process. */
function* poissonAreas(seed: number): Generator<number, void, undefined> {
  const rng = new Rng(deriveSeed(seed, 'arrivals'));
  let a = 0;
  for (;;) {
    a += rng.exponential(1);
    yield a;
  }
}

/**
 * Intended start offsets (ms from test start), in order. `seed` matters only for Poisson
 * arrivals (pass the workload seed).
 */
export function* arrivalOffsets(arrival: Arrival, seed = 1): Generator<number, void, undefined> {
  const a = openOnly(arrival, 'arrivalOffsets');
  if (a.executor === 'constant-arrival-rate') {
    const { rate, timeUnit, duration } = a;
    if (!a.poisson) {
      // offset k = k·T/r; keep it while k·T < duration·r (exact in integers for whole inputs)
      for (let k = 0; k * timeUnit < duration * rate - EPS; k++) yield (k * timeUnit) / rate;
      return;
    }
    for (const area of poissonAreas(seed)) {
      const offset = (area * timeUnit) / rate;
      if (offset >= duration) return;
      yield offset;
    }
    return;
  }
  yield* rampingOffsets(a, a.poisson ? poissonAreas(seed) : wholeAreas());
}

function* wholeAreas(): Generator<number, void, undefined> {
  for (let k = 1; ; k++) yield k;
}

/** Offsets where the ramping rate's integral reaches each of the (increasing) `areas`. */
function* rampingOffsets(arrival: Extract<OpenArrival, { executor: 'ramping-arrival-rate' }>, areas: Iterator<number>): Generator<number, void, undefined> {
  const { timeUnit } = arrival;
  let fromU = arrival.startRate; // iterations per timeUnit
  let stageStart = 0;
  let doneSoFar = 0; // area (iterations) before this stage
  let next = areas.next();
  for (const stage of arrival.stages) {
    const dur = stage.duration;
    const endCount = doneSoFar + stageArea(dur, timeUnit, fromU, stage.target);
    const from = fromU / timeUnit; // iterations per ms
    const to = stage.target / timeUnit;
    for (; !next.done && next.value <= endCount + EPS; next = areas.next()) {
      const need = next.value - doneSoFar;
      let x: number;
      if (from !== to) {
        // solve from·x + (to−from)·x²/(2·dur) = need for x in [0, dur]
        const disc = dur * (from * from * dur + 2 * need * (to - from));
        x = (from * dur - Math.sqrt(Math.max(0, disc))) / (from - to);
      } else x = to > 0 ? need / to : dur;
      yield stageStart + Math.min(dur, Math.max(0, x));
    }
    if (next.done) return;
    doneSoFar = endCount;
    fromU = stage.target;
    stageStart += dur;
  }
}

/**
 * How many iterations the schedule starts (the length of `arrivalOffsets`): O(stages) for even
 * schedules, counted for Poisson ones (pass the same seed).
 */
export function expectedIterations(arrival: Arrival, seed = 1): number {
  const a = openOnly(arrival, 'expectedIterations');
  if (a.poisson) {
    let n = 0;
    for (const _ of arrivalOffsets(a, seed)) n++;
    return n;
  }
  if (a.executor === 'constant-arrival-rate') {
    const { rate, timeUnit, duration } = a;
    return Math.max(0, Math.ceil((duration * rate) / timeUnit - EPS));
  }
  return Math.floor(rampingArea(a) + EPS);
}

/** Length of the schedule in ms (constant and constant-vus: duration; ramping: sum of stage durations). */
export function totalDurationMs(arrival: Arrival): number {
  if (arrival.executor === 'ramping-arrival-rate') return arrival.stages.reduce((s, st) => s + st.duration, 0);
  return arrival.duration;
}

/** Highest rate anywhere in the schedule, in iterations per second (NaN for the closed model). */
export function peakRatePerSecond(arrival: Arrival): number {
  if (arrival.executor === 'constant-vus') return Number.NaN;
  const perUnit =
    arrival.executor === 'constant-arrival-rate' ? arrival.rate : Math.max(arrival.startRate, ...arrival.stages.map((s) => s.target));
  return (perUnit * 1000) / arrival.timeUnit;
}

/** Iterations that may be in flight at once: maxInFlight (open model) or the VUs (closed). */
export function concurrencyLimit(arrival: Arrival): number {
  return arrival.executor === 'constant-vus' ? arrival.vus : arrival.maxInFlight;
}

/** Integral of a ramping schedule's rate: the expected number of iterations, fractional. */
function rampingArea(arrival: Extract<OpenArrival, { executor: 'ramping-arrival-rate' }>): number {
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
