/** Distributions of positive quantities (tokens, milliseconds), as authored in YAML. */
import { z } from 'zod';

const bounds = {
  min: z.number().nonnegative().optional(),
  max: z.number().positive().optional(),
};

export const DistSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('constant'), value: z.number().nonnegative() }),
  z.strictObject({ dist: z.literal('uniform'), min: z.number().nonnegative(), max: z.number().nonnegative() }),
  z.strictObject({ dist: z.literal('lognormal'), median: z.number().positive(), sigma: z.number().nonnegative(), ...bounds }),
  z.strictObject({ dist: z.literal('gamma'), shape: z.number().positive(), scale: z.number().positive(), ...bounds }),
  z.strictObject({
    dist: z.literal('exponential'),
    mean: z.number().positive(),
    ...bounds,
  }),
  /** empirical: percentiles → value, e.g. { p50: 300, p90: 700, p99: 1500 }; interpolated linearly in between */
  z.strictObject({
    dist: z.literal('empirical'),
    percentiles: z
      .record(z.string().regex(/^p(\d{1,2}(\.\d+)?|100)$/, { message: 'keys like p0, p50, p99.9, p100' }), z.number().nonnegative())
      .refine((r) => Object.keys(r).length >= 2, { message: 'at least two percentiles' }),
  }),
]);
export type Dist = z.output<typeof DistSchema>;
