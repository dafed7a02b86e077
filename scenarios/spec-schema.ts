/**
 * The scenario spec: what load to send, where, and what counts as passing.
 * Authored in YAML (scenarios/specs/*.yaml), validated here; the parsed (output) type, with
 * durations in milliseconds, is what the driver, the k6 bundle and the report see.
 * Code the k6 bundle imports may use `import type` from this file only.
 */
import { z } from 'zod';
import { durationMs } from '../core/duration-schema.js';
import { DistSchema } from '../core/dist-schema.js';

import { THRESHOLD_RE } from './thresholds.js';

export { DistSchema, type Dist } from '../core/dist-schema.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'lowercase letters, digits, ".", "_" or "-"' });

export const TargetSchema = z.union([
  z.strictObject({
    /** name of a gateway config in gateway/configs/, or a path to a YAML file */
    gateway: z.string().default('default'),
    /** name of a fleet in mock-providers/fleets/, or a path to a YAML file */
    fleet: z.string().default('default'),
  }),
  z.strictObject({
    url: z.url({ message: 'an http(s) URL of an OpenAI-compatible endpoint' }),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);
export type Target = z.output<typeof TargetSchema>;

const common = {
  /** how many requests may be in flight before new starts are dropped (k6: maxVUs) */
  maxInFlight: z.int().positive().default(512),
  timeUnit: durationMs.default(1000),
};

export const StageSchema = z.strictObject({ duration: durationMs, target: z.number().nonnegative() });

export const ArrivalSchema = z.discriminatedUnion('executor', [
  z.strictObject({
    executor: z.literal('constant-arrival-rate'),
    rate: z.number().positive(),
    duration: durationMs,
    ...common,
  }),
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    startRate: z.number().nonnegative().default(0),
    stages: z.array(StageSchema).min(1),
    ...common,
  }),
]);
export type Arrival = z.output<typeof ArrivalSchema>;

export const RequestClassSchema = z.strictObject({
  name,
  weight: z.number().positive().default(1),
  model: z.string().min(1),
  /** fraction of requests of this class sent with `stream: true` */
  streamRatio: z.number().min(0).max(1).default(1),
  promptTokens: DistSchema,
  maxTokens: DistSchema,
});
export type RequestClass = z.output<typeof RequestClassSchema>;

export const WorkloadSchema = z.strictObject({
  seed: z.int().nonnegative().default(1),
  classes: z.array(RequestClassSchema).min(1),
});
export type Workload = z.output<typeof WorkloadSchema>;

export const ThresholdSchema = z.union([
  z.string().regex(THRESHOLD_RE, { message: 'a k6 threshold such as "p(99)<2000" or "rate<0.01"' }),
  z.strictObject({
    threshold: z.string().regex(THRESHOLD_RE, { message: 'a k6 threshold such as "p(99)<2000" or "rate<0.01"' }),
    abortOnFail: z.boolean().default(false),
    delayAbortEval: durationMs.optional(),
  }),
]);

export const SpecSchema = z.strictObject({
  name,
  description: z.string().default(''),
  target: TargetSchema.default({ gateway: 'default', fleet: 'default' }),
  arrival: ArrivalSchema,
  workload: WorkloadSchema,
  /** k6 thresholds keyed by metric (optionally with a tag filter: `ttft{class:chat}`) */
  thresholds: z.record(z.string().regex(/^[a-z_][a-z0-9_]*(\{[^}]+\})?$/, { message: 'a metric name, optionally with {tag:value}' }), z.array(ThresholdSchema)).default({}),
  /** per-request timeout */
  timeout: durationMs.default(60_000),
});
export type Spec = z.output<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;
