/** `upstreams[]`: the providers' endpoints the gateway fronts. */
import { z } from 'zod';
import { FORMAT_NAMES } from '../formats/registry.js';

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
