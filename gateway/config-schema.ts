/**
 * The gateway config: upstreams it fronts, routes from client model names to upstream targets,
 * retry policy, timeouts and the price table. Authored in YAML (gateway/configs/*.yaml).
 */
import { z } from 'zod';
import { FORMAT_NAMES } from './formats/registry.js';
import { PricesSchema, priceFor } from './prices.js';

const port = z.int().min(0).max(65535);
const ms = z.int().positive();

export const ListenSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(8080),
});

export const UpstreamSchema = z
  .strictObject({
    /** unique id, by convention `provider/region` */
    id: z.string().min(1),
    provider: z.string().min(1),
    region: z.string().min(1),
    format: z.enum(FORMAT_NAMES).default('openai'),
    /** base URL; when absent it must be supplied at startup (buildGateway `upstreamUrls`) */
    url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).optional(),
    apiKey: z.string().min(1).optional(),
    /** name of an environment variable holding the API key */
    apiKeyEnv: z.string().min(1).optional(),
    /** size of the undici connection pool to this upstream */
    connections: z.int().positive().default(128),
  })
  .refine((u) => !(u.apiKey && u.apiKeyEnv), { message: 'either apiKey or apiKeyEnv, not both', path: ['apiKeyEnv'] });
export type UpstreamConfig = z.output<typeof UpstreamSchema>;

export const TargetSchema = z.strictObject({
  upstream: z.string().min(1),
  /** model name to ask this upstream for; defaults to the route's model */
  model: z.string().min(1).optional(),
  /** lower is tried first; defaults to the position in the list (1, 2, …) */
  priority: z.number().optional(),
});

export const RouteSchema = z
  .strictObject({
    /** the model name clients ask for */
    model: z.string().min(1),
    /** the routing/registry.ts strategies take over with the new pipeline; this table serves priority only */
    strategy: z.enum(['priority']).default('priority'),
    targets: z.array(TargetSchema).min(1),
  })
  .transform((r) => ({
    ...r,
    targets: r.targets.map((t, i) => ({ upstream: t.upstream, model: t.model ?? r.model, priority: t.priority ?? i + 1 })),
  }));
export type RouteConfig = z.output<typeof RouteSchema>;

export const RETRY_ON = ['connect', 'timeout', '5xx', '429'] as const;
export type RetryOn = (typeof RETRY_ON)[number];

export const RetrySchema = z.strictObject({
  /** total attempts per request across all targets (1 = no retry) */
  maxAttempts: z.int().min(1).max(20).default(4),
  /** failures that move on to the next attempt (YAML may write 429 unquoted) */
  on: z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(RETRY_ON))).default([...RETRY_ON]),
});

export const TimeoutsSchema = z.strictObject({
  /** TCP connect to an upstream */
  connectMs: ms.default(2000),
  /** per attempt: until the upstream's response headers, and the longest silence inside a body */
  firstByteMs: ms.default(30_000),
  /** whole request, all attempts and the full (streamed) response */
  totalMs: ms.default(120_000),
});

export const GatewayConfigSchema = z
  .strictObject({
    listen: ListenSchema.prefault({}),
    upstreams: z.array(UpstreamSchema).min(1),
    routes: z.array(RouteSchema).min(1),
    retry: RetrySchema.prefault({}),
    timeouts: TimeoutsSchema.prefault({}),
    prices: PricesSchema.default({}),
  })
  .superRefine((cfg, ctx) => {
    const upstreams = new Map<string, UpstreamConfig>();
    cfg.upstreams.forEach((u, i) => {
      if (upstreams.has(u.id)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'id'], message: `a unique id ("${u.id}" is declared twice)` });
      upstreams.set(u.id, u);
    });
    const known = [...upstreams.keys()].map((id) => JSON.stringify(id)).join(', ');
    const models = new Set<string>();
    cfg.routes.forEach((r, i) => {
      if (models.has(r.model)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'model'], message: `a unique route model ("${r.model}" is routed twice)` });
      models.add(r.model);
      r.targets.forEach((t, j) => {
        const u = upstreams.get(t.upstream);
        if (!u) {
          ctx.addIssue({ code: 'custom', path: ['routes', i, 'targets', j, 'upstream'], message: `an upstream id declared in upstreams (one of ${known})` });
        } else if (!priceFor(cfg.prices, u.provider, t.model)) {
          const path = t.model === r.model ? ['routes', i, 'model'] : ['routes', i, 'targets', j, 'model'];
          ctx.addIssue({ code: 'custom', path, message: `a price for "${t.model}" in prices (key "${t.model}" or "${u.provider}/${t.model}")` });
        }
      });
    });
  });

export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
/** What a config file may contain before defaults are applied. */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
