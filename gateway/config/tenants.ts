/**
 * `tenants`: per-tenant policy, keyed by the tenant a key names. `residency` pins a tenant's
 * requests to regions and/or zones: they are never sent elsewhere (not on failover, retry or a
 * stream's continuation). When every lawful target is down the request fails at once with
 * GW_RESIDENCY_UNAVAILABLE (`whenDown: error`) or waits up to `maxWait` for one to come back.
 */
import { z } from 'zod';
import { durationMs } from '../../core/duration-schema.js';

export const ResidencySchema = z
  .strictObject({
    /** upstream regions allowed to serve the tenant (e.g. eu-west, westeurope) */
    regions: z.array(z.string().min(1)).min(1).optional(),
    /** upstream zones allowed to serve the tenant (e.g. eu) */
    zones: z.array(z.string().min(1)).min(1).optional(),
    whenDown: z.enum(['error', 'wait']).default('error'),
    /** with `whenDown: wait`, the longest a request waits for a lawful target (bounded by timeouts.totalMs) */
    maxWait: durationMs.default(10_000),
  })
  .refine((r) => r.regions !== undefined || r.zones !== undefined, { message: 'regions or zones (or both)', path: ['regions'] });
export type ResidencyConfig = z.output<typeof ResidencySchema>;

export const TenantSchema = z.strictObject({
  residency: ResidencySchema.optional(),
});

export const TenantsSchema = z.record(z.string().min(1), TenantSchema);
export type TenantsConfig = z.output<typeof TenantsSchema>;
