/** `upstreams[]`: the providers' endpoints the gateway fronts. */
import { z } from 'zod';
import { FORMAT_NAMES } from '../formats/registry.js';
import { UpstreamLimitsSchema } from './pacing.js';

export const UpstreamSchema = z
  .strictObject({
    /** unique id, by convention `provider/region` */
    id: z.string().min(1),
    provider: z.string().min(1),
    region: z.string().min(1),
    /** geographic zone (e.g. `us`, `eu`) for nearest-region routing and residency; defaults to a guess from the region name */
    zone: z.string().min(1).optional(),
    format: z.enum(FORMAT_NAMES).default('openai'),
    /** base URL; when absent it must be supplied at startup (buildGateway `upstreamUrls`) */
    url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).optional(),
    apiKey: z.string().min(1).optional(),
    /** name of an environment variable holding the API key */
    apiKeyEnv: z.string().min(1).optional(),
    /** size of the undici connection pool to this upstream */
    connections: z.int().positive().max(4096).default(128),
    /** the upstream continues a given assistant prefix (used to resume a stream cut mid-answer) */
    prefill: z.boolean().default(false),
    /** the provider's requests per minute for this upstream (the gateway paces below it: `pacing`) */
    rpm: UpstreamLimitsSchema.shape.rpm,
    /** the provider's tokens (prompt + output) per minute */
    tpm: UpstreamLimitsSchema.shape.tpm,
    /** per-model limits where a model's differ from the upstream's `rpm`/`tpm` */
    modelLimits: z.record(z.string().min(1), UpstreamLimitsSchema).default({}),
    /** upstreams naming the same group share one pacer per model (a provider's limits often span its regions) */
    limitGroup: z.string().regex(/^[A-Za-z0-9._:/-]{1,64}$/, { message: 'a label of letters, digits and ._:/- (1–64 characters)' }).optional(),
  })
  .refine((u) => !(u.apiKey && u.apiKeyEnv), { message: 'either apiKey or apiKeyEnv, not both', path: ['apiKeyEnv'] });
export type UpstreamConfig = z.output<typeof UpstreamSchema>;

const ZONE_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/(^|[^a-z])(eu|europe|westeurope|northeurope|uk|france|germany)/i, 'eu'],
  [/(^|[^a-z])(us|eastus|westus|centralus|northamerica|america)/i, 'us'],
  [/(^|[^a-z])(ap|asia|cn|japan|australia|india|korea)/i, 'ap'],
];

/** The zone an upstream declares, or one guessed from its region name (`eu-west` → eu, `eastus` → us). */
export function zoneOf(u: Pick<UpstreamConfig, 'zone' | 'region'>): string {
  if (u.zone) return u.zone;
  for (const [re, zone] of ZONE_HINTS) if (re.test(u.region)) return zone;
  return u.region;
}
