/**
 * The gateway config: upstreams it fronts, routes from client model names to targets, virtual
 * API keys, resilience policy, timeouts, limits on requests, and the price table. Authored in
 * YAML (gateway/configs/*.yaml); cross-field checks name the path of what is wrong.
 */
import { z } from 'zod';
import { BreakerConfigSchema } from '../resilience/breaker.js';
import { RetryConfigSchema } from '../resilience/retry-config.js';
import { checkStrategy } from '../routing/registry.js';
import { PricesSchema, priceFor } from '../prices.js';
import { AdminSchema, BudgetSchema } from './budgets.js';
import { CacheConfigSchema } from '../cache/config.js';
import { RedisConfigSchema } from './redis.js';
import { checkLimitGroups } from './limit-groups.js';
import { PacingSchema } from './pacing.js';
import { KeySchema } from './keys.js';
import { checkLimits, LimitSchema } from './limits.js';
import { ModelsSchema } from './models.js';
import { checkPolicies } from './policy-checks.js';
import { RouteSchema, type TargetConfig } from './route.js';
import { TenantsSchema } from './tenants.js';
import { TimeoutsSchema } from './timeouts.js';
import { UpstreamSchema, type UpstreamConfig } from './upstream.js';

export const ListenSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.int().min(0).max(65535).default(8080),
});

/** What one client request may ask for; beyond these it gets a 4xx, never a 5xx. */
export const RequestLimitsSchema = z.strictObject({
  /** request body size */
  maxBodyBytes: z.int().positive().max(256 * 1024 * 1024).default(16 * 1024 * 1024),
  maxMessages: z.int().positive().default(2048),
  /** `max_tokens` / `max_completion_tokens` */
  maxOutputTokens: z.int().positive().default(131_072),
});

export const GatewayConfigSchema = z
  .strictObject({
    listen: ListenSchema.prefault({}),
    upstreams: z.array(UpstreamSchema).min(1),
    routes: z.array(RouteSchema).min(1),
    keys: z.array(KeySchema).optional(),
    retry: RetryConfigSchema.prefault({}),
    breaker: BreakerConfigSchema.prefault({}),
    timeouts: TimeoutsSchema.prefault({}),
    requests: RequestLimitsSchema.prefault({}),
    prices: PricesSchema.default({}),
    models: ModelsSchema.default({}),
    /** per-tenant policy (residency) */
    tenants: TenantsSchema.default({}),
    budgets: z.array(BudgetSchema).default([]),
    /** token-bucket rate limits on requests and tokens (config/limits.ts) */
    limits: z.array(LimitSchema).default([]),
    admin: AdminSchema.prefault({}),
    /** exact and semantic response cache (gateway/cache/config.ts); absent: no caching */
    cache: CacheConfigSchema.optional(),
    /** shared state for several instances (gateway/config/redis.ts); absent: in process */
    redis: RedisConfigSchema.optional(),
    /** provider pacing below upstreams' known RPM/TPM and the priority queue (gateway/config/pacing.ts) */
    pacing: PacingSchema.prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const upstreams = new Map<string, UpstreamConfig>();
    cfg.upstreams.forEach((u, i) => {
      if (upstreams.has(u.id)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'id'], message: `a unique id ("${u.id}" is declared twice)` });
      upstreams.set(u.id, u);
    });
    const known = [...upstreams.keys()].map((id) => JSON.stringify(id)).join(', ');
    const checkTarget = (t: TargetConfig, path: (string | number)[], routeModel: string): void => {
      const u = upstreams.get(t.upstream);
      if (!u) {
        ctx.addIssue({ code: 'custom', path: [...path, 'upstream'], message: `an upstream id declared in upstreams (one of ${known})` });
      } else if (!priceFor(cfg.prices, u.provider, t.model)) {
        const where = t.model === routeModel ? path.slice(0, 2).concat('model') : [...path, 'model'];
        ctx.addIssue({ code: 'custom', path: where, message: `a price for "${t.model}" in prices (key "${t.model}" or "${u.provider}/${t.model}")` });
      }
    };
    const models = new Set<string>();
    cfg.routes.forEach((r, i) => {
      if (models.has(r.model)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'model'], message: `a unique route model ("${r.model}" is routed twice)` });
      models.add(r.model);
      r.targets.forEach((t, j) => checkTarget(t, ['routes', i, 'targets', j], r.model));
      r.contextFallback.forEach((t, j) => checkTarget(t, ['routes', i, 'contextFallback', j], r.model));
      for (const issue of checkStrategy(r.strategy, r.targets)) {
        ctx.addIssue({ code: 'custom', path: ['routes', i, ...issue.path], message: issue.message });
      }
    });
    const ids = new Set<string>();
    cfg.keys?.forEach((k, i) => {
      if (ids.has(k.id)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'id'], message: `a unique key id ("${k.id}" is declared twice)` });
      ids.add(k.id);
      k.models?.forEach((m, j) => {
        if (!models.has(m)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'models', j], message: `a routed model (one of ${[...models].join(', ')})` });
      });
    });
    checkPolicies({ ...cfg, routedModels: models }, ctx);
    checkLimits({ ...cfg, routedModels: models }, ctx);
    checkLimitGroups(cfg.upstreams, ctx);
    const routed = `a routed model (one of ${[...models].join(', ')})`;
    for (const m of Object.keys(cfg.cache?.routes ?? {})) {
      if (!models.has(m)) ctx.addIssue({ code: 'custom', path: ['cache', 'routes', m], message: routed });
    }
    const emb = cfg.cache?.semantic?.embeddings;
    if (emb !== undefined && !models.has(emb)) ctx.addIssue({ code: 'custom', path: ['cache', 'semantic', 'embeddings'], message: routed });
  });

export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
/** What a config file may contain before defaults are applied. */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
