/**
 * `keys[]`: the gateway's virtual API keys. Each maps to a principal (tenant, user, tier,
 * allowed features and models, home region, most urgent priority). Key material is given as
 * `key` (plain), `keyEnv` (an environment variable) or `sha256` (hex digest); only digests are
 * kept in memory, and only `id` ever appears in logs, metrics and headers.
 */
import { z } from 'zod';

export const PRIORITY_LEVELS = ['P0', 'P1', 'P2'] as const;
export const PrioritySchema = z.enum(PRIORITY_LEVELS);

const label = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'a label of letters, digits and ._:- (1–64 characters)' });

export const KeySchema = z
  .strictObject({
    /** names the key in logs, metrics and headers */
    id: label,
    key: z.string().min(8).optional(),
    keyEnv: z.string().min(1).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'a lowercase hex SHA-256 digest (64 characters)' }).optional(),
    tenant: label,
    user: label.optional(),
    tier: label.default('standard'),
    /** features the key may name (`metadata.feature` / `x-gateway-feature`); absent = any */
    features: z.array(label).min(1).optional(),
    /** client model names the key may ask for; absent = any routed model */
    models: z.array(z.string().min(1)).min(1).optional(),
    /** the key's home region (nearest-region routing) */
    homeRegion: z.string().min(1).optional(),
    /** the most urgent priority the key may ask for; requests default to the least urgent it allows */
    maxPriority: PrioritySchema.default('P1'),
    /** the key may read the gateway's admin endpoints (GET /admin/spend) from anywhere */
    admin: z.boolean().default(false),
  })
  .superRefine((k, ctx) => {
    const given = [k.key, k.keyEnv, k.sha256].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['key'], message: 'exactly one of key, keyEnv or sha256' });
  });
export type KeyConfig = z.output<typeof KeySchema>;
