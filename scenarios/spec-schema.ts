/**
 * The scenario spec: what load to send, where, and what counts as passing.
 * Authored in YAML (scenarios/specs/*.yaml), validated here; the parsed (output) type, with
 * durations in milliseconds, is what the driver, the k6 bundle and the report see.
 * Code the k6 bundle imports may use `import type` from this file only.
 */
import { z } from 'zod';
import { durationMs } from '../core/duration-schema.js';
import { DistSchema } from '../core/dist-schema.js';
import { ChaosTimelineSchema } from '../mock-providers/chaos/timeline-schema.js';
import { ArrivalSchema } from './arrival-schema.js';
import { RequestClassSchema } from './class-schema.js';
import { THRESHOLD_RE } from './thresholds.js';
import { checkClassRegions, TopologySchema } from './topology-schema.js';

export { DistSchema, type Dist } from '../core/dist-schema.js';
export { ChaosTimelineSchema, type ChaosEvent, type ChaosTimeline } from '../mock-providers/chaos/timeline-schema.js';
export { ArrivalSchema, StageSchema, type Arrival } from './arrival-schema.js';
export {
  RequestClassSchema,
  PromptSourceSchema,
  ConversationSchema,
  DatasetItemSchema,
  ResidencySchema,
  type RequestClass,
  type PromptSource,
  type Conversation,
  type DatasetItem,
} from './class-schema.js';

export const nameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'lowercase letters, digits, ".", "_" or "-"' });

export const TargetSchema = z.union([
  z.strictObject({
    /** name of a gateway config in gateway/configs/, or a path to a YAML file */
    gateway: z.string().default('default'),
    /** name of a fleet in mock-providers/fleets/, or a path to a YAML file */
    fleet: z.string().default('default'),
    /** the virtual API key the load sends (a class's own `apiKey` wins); one of the gateway config's keys */
    apiKey: z.string().min(1).default('sk-stormlab-lab'),
    /**
     * how many instances of the gateway the lab starts (default 1); several run behind a
     * round-robin front and share their state through a Redis the lab starts for the run
     */
    instances: z.int().min(1).max(16).optional(),
  }),
  z.strictObject({
    url: z.url({ message: 'an http(s) URL of an OpenAI-compatible endpoint' }),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);
export type Target = z.output<typeof TargetSchema>;

export const WorkloadSchema = z.strictObject({
  seed: z.int().nonnegative().max(0xffffffff).default(1),
  classes: z
    .array(RequestClassSchema)
    .min(1)
    .superRefine((classes, ctx) => {
      const seen = new Set<string>();
      classes.forEach((c, i) => {
        if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `a class name used once (${c.name} repeats)` });
        seen.add(c.name);
      });
    }),
});
export type Workload = z.output<typeof WorkloadSchema>;

const thresholdText = z.string().regex(THRESHOLD_RE, { message: 'a k6 threshold such as "p(99)<2000" or "rate<0.01"' });

export const ThresholdSchema = z.union([
  thresholdText,
  z.strictObject({
    threshold: thresholdText,
    /** stop the run as soon as this threshold is crossed (k6 semantics) */
    abortOnFail: z.boolean().default(false),
    /** do not abort before this much of the run has passed */
    delayAbortEval: durationMs.optional(),
  }),
]);

export { TopologySchema } from './topology-schema.js';

export const SpecSchema = z
  .strictObject({
    name: nameSchema,
    description: z.string().default(''),
    target: TargetSchema.prefault({ gateway: 'default', fleet: 'default' }),
    arrival: ArrivalSchema,
    workload: WorkloadSchema,
    /**
     * k6 thresholds (the SLOs) keyed by metric, optionally with a tag filter:
     * `ttft{class:chat}`, `http_req_failed{tenant:acme,priority:interactive}`.
     */
    thresholds: z
      .record(z.string().regex(/^[a-z_][a-z0-9_]*(\{[^}]+\})?$/, { message: 'a metric name, optionally with {tag:value}' }), z.array(ThresholdSchema))
      .default({}),
    /** per-request timeout */
    timeout: durationMs.default(60_000),
    /**
     * faults to inject into the mock fleet during the run, offsets from the start of the load
     * (mock-providers/chaos/timeline-schema.ts); the lab applies them through the fleet
     */
    chaos: ChaosTimelineSchema.default([]),
    /**
     * regions (scenarios/topology-schema.ts): clients, gateways and the round trips between them;
     * the lab starts a gateway per gateway region and injects the delays
     */
    topology: TopologySchema.optional(),
  })
  .superRefine((spec, ctx) => {
    checkClassRegions(spec.topology, spec.workload.classes, ctx);
    if (spec.topology && 'url' in spec.target) {
      ctx.addIssue({ code: 'custom', path: ['topology'], message: 'a lab target (target.gateway): the lab starts one gateway per region' });
    }
  });
export type Spec = z.output<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;
