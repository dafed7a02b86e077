/**
 * The fleet: which mock providers exist, in which regions, serving which models at what price
 * and latency. Authored in YAML (mock-providers/fleets/*.yaml); the parsed type is what
 * startFleet() takes. Every endpoint is one provider × one region, id `<provider>/<region>`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfigFile } from '../core/config-file.js';
import { DistSchema } from '../core/dist-schema.js';
import { FORMAT_NAMES } from './formats/names.js';

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
  /** USD per 1M cached prompt tokens (kept for the later prompt-cache model; not billed yet) */
  cachedInput: usdPerMTok.optional(),
  /** USD per 1M completion tokens */
  output: usdPerMTok,
});
export type Price = z.output<typeof PriceSchema>;

export const ModelSchema = z.strictObject({
  name: z.string().regex(/^\S+$/, { message: 'a model name without spaces' }),
  price: PriceSchema,
  /** time to first token, before the region multiplier and prefill */
  ttftMs: DistSchema,
  /** gap between consecutive output tokens */
  itlMs: DistSchema,
  /** length of a completion when max_tokens does not cut it */
  outputTokens: DistSchema,
  /** extra TTFT per prompt token (prefill) */
  prefillMsPerInputToken: z.number().nonnegative().default(0),
  /** the cap applied when a request sets no max_tokens */
  maxOutputTokens: z.int().positive().default(16_384),
});
export type ModelConfig = z.output<typeof ModelSchema>;

export const ProviderSchema = z
  .strictObject({
    name: id,
    format: z.enum(FORMAT_NAMES),
    regions: z.array(RegionSchema).min(1),
    models: z.array(ModelSchema).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.models.forEach((m, i) => {
      const first = seen.get(m.name);
      if (first === undefined) seen.set(m.name, i);
      else ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `a unique model name; "${m.name}" is already declared at models[${first}]` });
    });
  });
export type Provider = z.output<typeof ProviderSchema>;

export const FleetSchema = z
  .strictObject({
    /** seeds every latency draw and every completion text */
    seed: z.int().nonnegative().default(1),
    host: z.string().min(1).default('127.0.0.1'),
    providers: z.array(ProviderSchema).min(1),
  })
  .superRefine((f, ctx) => {
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

export function endpointId(provider: string, region: string): string {
  return `${provider}/${region}`;
}

/** Read and validate a fleet file; errors name the file, the field path and what was expected. */
export function loadFleet(file: string): Fleet {
  return loadConfigFile(FleetSchema, file, 'fleet');
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
