/**
 * Chaos timelines as authored in YAML (a fleet's `chaos:`, `stormlab mocks --timeline`, a scenario
 * spec's `chaos:`) and single faults as posted to the control API. Pure zod, no Node APIs: the
 * scenario spec imports it.
 *
 *   - at: 30s            # offset from the start of the timeline
 *     for: 20s           # absent → until the end (removal, reset or fleet close)
 *     fault: http-error  # a registered fault (chaos/faults/names.ts)
 *     scope: { provider: openai, region: us-east }   # any of provider / region / model / key; a string or a list
 *     probability: 0.3   # share of the calls in scope it hits (toxiproxy's toxicity); default 1
 *     params: { statuses: [500, 503] }               # validated by the fault's own schema
 */
import { z } from 'zod';
import { durationMs } from '../../core/duration-schema.js';
import { FAULTS } from './faults/index.js';
import { FAULT_NAMES, type FaultName } from './faults/names.js';

const scopeValue = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'a name or a list of names' });

/** Which calls a fault hits: every key present must match (a list matches any of its names); empty → all. */
export const ChaosScopeSchema = z.strictObject({
  provider: scopeValue.optional(),
  region: scopeValue.optional(),
  model: scopeValue.optional(),
  /** the API key of the request (Authorization bearer, x-api-key, api-key, x-goog-api-key or ?key=) */
  key: scopeValue.optional(),
});
export type ChaosScope = z.output<typeof ChaosScopeSchema>;

/** The params of each fault, after its schema filled the defaults. */
export type FaultParams = { [K in FaultName]: z.output<(typeof FAULTS)[K]['params']> };

interface FaultFields<K extends FaultName> {
  fault: K;
  scope: ChaosScope;
  /** 0..1, default 1 */
  probability: number;
  params: FaultParams[K];
}

type EventOf<K extends FaultName> = FaultFields<K> & {
  /** ms after the start of the timeline */
  at: number;
  /** ms the fault lasts; absent → until the end */
  for?: number;
};
/** One timeline event, parsed: durations in ms, defaults filled, params typed by fault. */
export type ChaosEvent = { [K in FaultName]: EventOf<K> }[FaultName];

type SpecOf<K extends FaultName> = FaultFields<K> & {
  /** chosen by the caller (unique among the fleet's faults) or generated */
  id?: string;
  /** ms the fault lasts from now; absent → until removed */
  for?: number;
};
/** A fault to start now (control API `POST /faults`, `RunningFleet.addFault`). */
export type FaultSpec = { [K in FaultName]: SpecOf<K> }[FaultName];

const common = {
  fault: z.enum(FAULT_NAMES),
  scope: ChaosScopeSchema.default({}),
  probability: z.number().min(0).max(1).default(1),
  params: z.unknown().optional(),
  for: durationMs.optional(),
};

type Parsed = { fault: FaultName; scope: ChaosScope; probability: number; params?: unknown; for?: number | undefined };

/** Validate `params` with the fault's own schema and the scope/probability the fault can honour. */
function checkFault<E extends Parsed>(e: E, ctx: z.core.$RefinementCtx<E>): unknown {
  const unit = FAULTS[e.fault];
  const r = unit.params.safeParse(e.params ?? {});
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ['params', ...issue.path] } as z.core.$ZodRawIssue);
  for (const key of unit.unscopable ?? []) {
    if (e.scope[key] !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['scope', key], message: `no "${key}" in the scope of ${e.fault} (it closes a port: scope it by provider and region)` });
    }
  }
  if (unit.probabilistic === false && e.probability !== 1) {
    ctx.addIssue({ code: 'custom', path: ['probability'], message: `probability 1 for ${e.fault} (a port is closed for every call or none)` });
  }
  if (e.for === 0) ctx.addIssue({ code: 'custom', path: ['for'], message: 'a positive duration (absent = until the end)' });
  const { for: lasts, ...rest } = e;
  return { ...rest, ...(lasts === undefined ? {} : { for: lasts }), params: r.success ? r.data : {} };
}

export const ChaosEventSchema = z
  .strictObject({ at: durationMs, ...common })
  .transform((e, ctx) => checkFault(e, ctx) as ChaosEvent);

/** A chaos timeline: events in any order (each carries its own `at`). */
export const ChaosTimelineSchema = z.array(ChaosEventSchema);
export type ChaosTimeline = z.output<typeof ChaosTimelineSchema>;
export type ChaosTimelineInput = z.input<typeof ChaosTimelineSchema>;

const faultId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { message: 'letters, digits, ".", "_", ":" or "-" (at most 100)' });

/** A fault to start now: the control API's `POST /faults` body. */
export const FaultSpecSchema = z
  .strictObject({ id: faultId.optional(), ...common })
  .transform((e, ctx) => checkFault(e, ctx) as FaultSpec);
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;

export { FAULT_NAMES, type FaultName } from './faults/names.js';
