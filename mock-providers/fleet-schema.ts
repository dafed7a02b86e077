/**
 * The fleet: which mock providers exist, in which regions, serving which models at what price
 * and latency. Authored in YAML (mock-providers/fleets/*.yaml); the parsed type is what
 * startFleet() takes. Every endpoint is one provider × one region, id `<provider>/<region>`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfigFile } from '../core/config-file.js';
import { DistSchema } from '../core/dist-schema.js';
import { DURATION_RE, parseDurationMs } from '../core/duration.js';
import { unknownScopeNames } from './chaos/scope.js';
import { ChaosTimelineSchema } from './chaos/timeline-schema.js';
import { FORMAT_NAMES, FORMATS_WITH_EMBEDDINGS } from './formats/names.js';
import { QualitySchema } from './quality/quality-schema.js';

/** Provider and region names: they form endpoint ids and attribution marks, so no `/` or `:`. */
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'lowercase letters, digits, ".", "_" or "-"' });
const usdPerMTok = z.number().nonnegative();

export const RegionSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.strictObject({
    name: id,
    /** scales the TTFT draw (network distance, a slower region) */
    latencyMultiplier: z.number().positive().default(1),
  }),
);
export type Region = z.output<typeof RegionSchema>;

export const PriceSchema = z.strictObject({
  /** USD per 1M prompt tokens */
  input: usdPerMTok,
  /** USD per 1M prompt tokens read from the provider's prompt cache (default: `input`) */
  cachedInput: usdPerMTok.optional(),
  /** USD per 1M prompt tokens written to the prompt cache (Anthropic: 1.25 × input; default: `input`) */
  cacheWrite: usdPerMTok.optional(),
  /** USD per 1M completion tokens */
  output: usdPerMTok,
});
export type Price = z.output<typeof PriceSchema>;

/**
 * Requests and tokens per minute, per organisation (API key) and model, across every region of the
 * provider (token buckets that refill continuously, as OpenAI's). A request takes its prompt
 * tokens plus its max_tokens (or, without one, the completion it will get) from `tpm`; Anthropic's
 * separate limits take the prompt tokens the cache did not serve from `itpm` and max_tokens from
 * `otpm`. Over budget → 429 with retry-after.
 */
export const RateLimitsSchema = z.strictObject({
  rpm: z.int().positive().optional(),
  tpm: z.int().positive().optional(),
  /** input tokens per minute (Anthropic) */
  itpm: z.int().positive().optional(),
  /** output tokens per minute (Anthropic) */
  otpm: z.int().positive().optional(),
});
export type RateLimits = z.output<typeof RateLimitsSchema>;

/**
 * How much load one endpoint's model takes before it slows down. Up to `concurrency` calls decode
 * at full speed; past it each call's inter-token gaps grow by (in service / concurrency) ^
 * itlSlowdown (1 = the tokens per second are shared, as batching on one GPU pool); past
 * `maxConcurrency` calls wait in a FIFO queue (their TTFT grows by the wait); past `maxQueue`
 * waiting calls they are refused with the API's overloaded error.
 */
export const CapacitySchema = z
  .strictObject({
    concurrency: z.int().positive(),
    /** default 2 × concurrency */
    maxConcurrency: z.int().positive().optional(),
    itlSlowdown: z.number().nonnegative().default(1),
    /** absent → the queue is unbounded */
    maxQueue: z.int().nonnegative().optional(),
  })
  .transform((c, ctx) => {
    const maxConcurrency = c.maxConcurrency ?? 2 * c.concurrency;
    if (maxConcurrency < c.concurrency) ctx.addIssue({ code: 'custom', path: ['maxConcurrency'], message: `>= concurrency (${c.concurrency})` });
    return { ...c, maxConcurrency };
  });
export type Capacity = z.output<typeof CapacitySchema>;

export const ModelSchema = z.strictObject({
  name: z.string().regex(/^\S+$/, { message: 'a model name without spaces' }),
  price: PriceSchema,
  /** how hard a prompt the model answers adequately, 0…1 (quality/verdict.ts) */
  capability: z.number().min(0).max(1).default(0.5),
  /** time to first token, before the region multiplier and prefill */
  ttftMs: DistSchema,
  /** gap between consecutive output tokens */
  itlMs: DistSchema,
  /** length of a completion when max_tokens does not cut it */
  outputTokens: DistSchema,
  /** extra TTFT per prompt token (prefill) */
  prefillMsPerInputToken: z.number().nonnegative().default(0),
  /** the cap applied when a request sets no max_tokens; a larger max_tokens is refused with a 400 */
  maxOutputTokens: z.int().positive().default(16_384),
  /** prompt tokens (plus max_tokens, for OpenAI and Anthropic) the model takes; more → 400 context_length_exceeded */
  contextWindow: z.int().positive().default(128_000),
  rateLimits: RateLimitsSchema.optional(),
  capacity: CapacitySchema.optional(),
});
export type ModelConfig = z.output<typeof ModelSchema>;

/** An embedding model (`POST /v1/embeddings`; see embeddings/ for how vectors are made). */
export const EmbeddingModelSchema = z.strictObject({
  name: z.string().regex(/^\S+$/, { message: 'a model name without spaces' }),
  price: z.strictObject({ input: usdPerMTok }),
  /** vector length when the request asks for none */
  dimensions: z.int().min(8).max(8192).default(1536),
  /** time to answer, before the region multiplier and the per-token part */
  latencyMs: DistSchema.default({ dist: 'lognormal', median: 30, sigma: 0.3 }),
  msPerInputToken: z.number().nonnegative().default(0.002),
  rateLimits: RateLimitsSchema.optional(),
});
export type EmbeddingModelConfig = z.output<typeof EmbeddingModelSchema>;

const ttl = z.union([z.number().positive(), z.string().regex(DURATION_RE, { message: 'a duration such as 5m or 300s' })])
  .transform((v) => (typeof v === 'number' ? v * 1000 : parseDurationMs(v)));

/**
 * The provider's prompt cache (prompt-cache.ts): `false` turns it off; fields override the wire
 * format's defaults (OpenAI and Gemini: automatic, 1,024+ tokens in 128-token steps; Anthropic: at
 * `cache_control` breakpoints of 1,024+ tokens; a TTL of 5 minutes after the last use).
 */
export const PromptCacheSchema = z.preprocess(
  // `false` becomes `{ off: true }`, so a wrong field inside the object is reported at its own path
  (v) => (v === false ? { off: true } : v),
  z
    .strictObject({
      off: z.literal(true).optional(),
      minTokens: z.int().positive().optional(),
      stepTokens: z.int().positive().optional(),
      /** seconds, or a duration (`5m`) */
      ttl: ttl.optional(),
    }, { error: 'false, or an object with minTokens, stepTokens and ttl' })
    .transform(({ off, ttl: ttlMs, ...rest }) => (off ? (false as const) : { ...rest, ...(ttlMs === undefined ? {} : { ttlMs }) })),
);
export type PromptCacheConfig = z.output<typeof PromptCacheSchema>;

export const ProviderSchema = z
  .strictObject({
    name: id,
    format: z.enum(FORMAT_NAMES),
    promptCache: PromptCacheSchema.optional(),
    regions: z.array(RegionSchema).min(1),
    models: z.array(ModelSchema).min(1),
    embeddings: z.array(EmbeddingModelSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, string>();
    const check = (list: 'models' | 'embeddings', name: string, i: number): void => {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, `${list}[${i}]`);
      else ctx.addIssue({ code: 'custom', path: [list, i, 'name'], message: `a unique model name; "${name}" is already declared at ${first}` });
    };
    p.models.forEach((m, i) => check('models', m.name, i));
    p.embeddings.forEach((m, i) => check('embeddings', m.name, i));
    if (p.embeddings.length > 0 && !FORMATS_WITH_EMBEDDINGS.includes(p.format)) {
      const message = `no embeddings for format ${p.format} (only ${FORMATS_WITH_EMBEDDINGS.join(' and ')} have embeddings routes)`;
      ctx.addIssue({ code: 'custom', path: ['embeddings'], message });
    }
  });
export type Provider = z.output<typeof ProviderSchema>;

export const FleetSchema = z
  .strictObject({
    /** seeds every latency draw and every completion text */
    seed: z.int().nonnegative().default(1),
    host: z.string().min(1).default('127.0.0.1'),
    providers: z.array(ProviderSchema).min(1),
    /** a chaos timeline that starts when the fleet starts */
    chaos: ChaosTimelineSchema.default([]),
    /** answer quality: prompt difficulties and the logistic width (quality/) */
    quality: QualitySchema,
  })
  .superRefine((f, ctx) => {
    const names = fleetNames(f);
    f.chaos.forEach((ev, i) => {
      for (const d of unknownScopeNames(ev.scope, names, '')) {
        ctx.addIssue({ code: 'custom', path: ['chaos', i, ...d.path!.split('.')], message: `${d.expected ?? 'a name in this fleet'} (not "${d.received}")` });
      }
    });
    const seen = new Map<string, string>();
    f.providers.forEach((p, i) =>
      p.regions.forEach((r, j) => {
        const eid = endpointId(p.name, r.name);
        const here = `providers[${i}].regions[${j}]`;
        const first = seen.get(eid);
        if (first === undefined) seen.set(eid, here);
        else ctx.addIssue({ code: 'custom', path: ['providers', i, 'regions', j], message: `a unique endpoint id; "${eid}" is already declared at ${first}` });
      }),
    );
  });
export type Fleet = z.output<typeof FleetSchema>;
export type FleetInput = z.input<typeof FleetSchema>;

/** Provider, region and model names of a fleet (what a chaos scope may name). */
export function fleetNames(f: Pick<Fleet, 'providers'>): { provider: Set<string>; region: Set<string>; model: Set<string> } {
  const ps = f.providers;
  return {
    provider: new Set(ps.map((p) => p.name)),
    region: new Set(ps.flatMap((p) => p.regions.map((r) => r.name))),
    model: new Set(ps.flatMap((p) => [...p.models, ...p.embeddings].map((m) => m.name))),
  };
}

export function endpointId(provider: string, region: string): string {
  return `${provider}/${region}`;
}

/** Read and validate a fleet file; errors name the file, the field path and what was expected. */
export function loadFleet(file: string): Fleet {
  const fleet = loadConfigFile(FleetSchema, file, 'fleet');
  const files = fleet.quality.difficulties;
  if (!files) return fleet;
  // difficulty files are named relative to the fleet file
  return { ...fleet, quality: { ...fleet.quality, difficulties: files.map((f) => resolve(dirname(file), f)) } };
}

const FLEETS_DIR = fileURLToPath(new URL('./fleets/', import.meta.url));

/** `default` → mock-providers/fleets/default.yaml; anything with a slash or a .yaml/.yml/.json suffix is a path. */
export function resolveFleetFile(nameOrPath: string): string {
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  if (looksLikePath) return nameOrPath;
  const builtIn = `${FLEETS_DIR}${nameOrPath}.yaml`;
  return existsSync(builtIn) || !existsSync(nameOrPath) ? builtIn : nameOrPath;
}

/** Names of the fleets shipped in mock-providers/fleets/. */
export function builtInFleets(): string[] {
  return readdirSync(FLEETS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}
