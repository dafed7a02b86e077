/**
 * A game-day plan: a workload with a chaos timeline (a scenario spec, inline or by name), the SLO
 * whose error budget the faults burn, and the expectations the day is judged by. Authored in YAML
 * (scenarios/plans/*.yaml), validated here; see expectation.ts for the expectation lines.
 */
import { z } from 'zod';
import { durationMs } from '../../core/duration-schema.js';
import { nameSchema, SpecSchema } from '../spec-schema.js';
import { parseExpectation, type Expectation } from './expectation.js';

export const ExpectationSchema = z.string().transform((s, ctx): Expectation => {
  const r = parseExpectation(s);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.expected });
  return z.NEVER;
});

/** `99.5%` or `0.995`: a share of requests that must succeed. */
const availability = z.union([
  z.number().gt(0).lt(1),
  z
    .string()
    .regex(/^\d+(\.\d+)?%$/, { message: 'a percentage below 100% such as "99.5%"' })
    .transform((s) => Number(s.slice(0, -1)) / 100)
    .refine((v) => v > 0 && v < 1, { message: 'a percentage between 0% and 100% (exclusive)' }),
]);

export const SloSchema = z.strictObject({
  /** share of client requests that must succeed; the error budget is what is left */
  availability: availability.default(0.99),
});
export type Slo = z.output<typeof SloSchema>;

/** Kill one gateway instance (SIGKILL) and, after `restartAfter`, start it again. */
export const KillInstanceSchema = z.strictObject({
  /** which instance, 1 to the number the lab starts (`target.instances` or --gateway-instances) */
  instance: z.int({ message: 'an instance number: 1, 2, …' }).min(1, { message: 'an instance number from 1' }),
  /** how long it stays down; absent: it stays down to the end of the run */
  restartAfter: durationMs.optional(),
});
export type KillInstance = z.output<typeof KillInstanceSchema>;

/**
 * What the lab itself does to the system under test during a game day, at an offset from the
 * start of the load (the fleet's faults are the spec's chaos timeline).
 */
export const ActionSchema = z.strictObject({
  at: durationMs,
  'kill-instance': KillInstanceSchema,
});
export type Action = z.output<typeof ActionSchema>;

export const PlanSchema = z.strictObject({
  name: nameSchema,
  description: z.string().default(''),
  /** a built-in spec name, a spec path (relative to the plan), or the spec itself */
  spec: z.union([z.string().min(1), SpecSchema]),
  slo: SloSchema.prefault({}),
  /** lab actions during the run: `- { at: 20s, kill-instance: { instance: 2, restartAfter: 10s } }` */
  actions: z.array(ActionSchema).default([]),
  expect: z.array(ExpectationSchema).min(1, { message: 'at least one expectation' }),
});
export type PlanFile = z.output<typeof PlanSchema>;
