/**
 * How iterations start: k6's executors. Open model — `constant-arrival-rate`,
 * `ramping-arrival-rate` (evenly spaced starts, or a seeded Poisson process with `poisson: true`)
 * — and the closed model `constant-vus` (N loops, each starting its next iteration when the last
 * one finished). Durations in ms once parsed.
 */
import { z } from 'zod';
import { durationMs } from '../core/duration-schema.js';

const openModel = {
  /** how many iterations may be in flight before new starts are dropped (k6: maxVUs) */
  maxInFlight: z.int().positive().default(512),
  timeUnit: durationMs.default(1000),
  /**
   * false: starts evenly spaced at the rate (k6's executors). true: a Poisson process at the same
   * (possibly ramping) rate — seeded exponential gaps from the workload seed, so the same seed
   * gives the same starts. k6 has no Poisson executor: a bundle runs the even schedule.
   */
  poisson: z.boolean().default(false),
};

export const StageSchema = z.strictObject({ duration: durationMs, target: z.number().nonnegative() });

export const ArrivalSchema = z.discriminatedUnion('executor', [
  z.strictObject({
    executor: z.literal('constant-arrival-rate'),
    rate: z.number().positive(),
    duration: durationMs,
    ...openModel,
  }),
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    startRate: z.number().nonnegative().default(0),
    stages: z.array(StageSchema).min(1),
    ...openModel,
  }),
  z.strictObject({
    executor: z.literal('constant-vus'),
    /** concurrent loops; each sends its next iteration as soon as the previous one finished */
    vus: z.int().positive(),
    duration: durationMs,
  }),
]);
export type Arrival = z.output<typeof ArrivalSchema>;
export type OpenArrival = Exclude<Arrival, { executor: 'constant-vus' }>;
