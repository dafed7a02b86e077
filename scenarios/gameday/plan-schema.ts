/**
 * A game-day plan: a workload with a chaos timeline (a scenario spec, inline or by name), the SLO
 * whose error budget the faults burn, and the expectations the day is judged by. Authored in YAML
 * (scenarios/plans/*.yaml), validated here; see expectation.ts for the expectation lines.
 */
import { z } from 'zod';
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

export const PlanSchema = z.strictObject({
  name: nameSchema,
  description: z.string().default(''),
  /** a built-in spec name, a spec path (relative to the plan), or the spec itself */
  spec: z.union([z.string().min(1), SpecSchema]),
  slo: SloSchema.prefault({}),
  expect: z.array(ExpectationSchema).min(1, { message: 'at least one expectation' }),
});
export type PlanFile = z.output<typeof PlanSchema>;
