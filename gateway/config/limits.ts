/**
 * `limits[]`: token-bucket rate limits on requests or on tokens, counted per key, user, feature,
 * tenant, tier or route model (or a combination), narrowed by `match`. A rate is written with
 * its unit — `20/min`, `100/s`, `40000/h`, `5/10s` — and is the bucket's refill; `burst` (the
 * bucket's capacity) defaults to the rate's count. Over a limit, `onLimit` decides: `reject`
 * (429 GW_RATE_LIMITED), `cheaper-model` (served by `degradeTo`), `cache-only` (a cache hit
 * serves, a miss gets the 429) or `wait` (for the bucket, at most `maxWait`).
 */
import { z } from 'zod';
import { DURATION_RE, parseDurationMs } from '../../core/duration.js';
import { durationMs } from '../../core/duration-schema.js';
import type { KeyConfig } from './keys.js';

export const LIMIT_DIMENSIONS = ['key', 'user', 'feature', 'tenant', 'tier', 'model'] as const;
export type LimitDimension = (typeof LIMIT_DIMENSIONS)[number];
export const LIMIT_ACTIONS = ['reject', 'cheaper-model', 'cache-only', 'wait'] as const;
export type LimitAction = (typeof LIMIT_ACTIONS)[number];

/** `onLimit: wait` without maxWait */
export const DEFAULT_MAX_WAIT_MS = 10_000;

export const RATE_EXPECTED =
  'a rate with its unit, such as 20/min, 100/s, 40000/h or 5/10s (a number alone has no unit)';

/** Named units of a rate's window, in ms. */
const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** A rate as written: `count` per `windowMs`. */
export interface Rate {
  readonly count: number;
  readonly windowMs: number;
  /** as written, for messages (`20/min`) */
  readonly text: string;
}

/** `20/min`, `100/s`, `5/10s` → a Rate; undefined when the text is not one. */
export function parseRate(text: string): Rate | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\S+?)\s*$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  const unit = (m[2] as string).toLowerCase();
  const named = UNITS[unit] ?? UNITS[unit.replace(/s$/, '')];
  const windowMs = named ?? (DURATION_RE.test(unit) ? parseDurationMs(unit) : undefined);
  if (windowMs === undefined || windowMs <= 0 || count <= 0) return undefined;
  return { count, windowMs, text: `${m[1]}/${m[2]}` };
}

/** A rate field: the text with its unit; anything else (a bare number above all) names the expected form. */
const RateSchema = z.unknown().transform((v, ctx): Rate => {
  const rate = typeof v === 'string' ? parseRate(v) : undefined;
  if (!rate) {
    ctx.addIssue({ code: 'custom', message: RATE_EXPECTED, input: v });
    return z.NEVER;
  }
  return rate;
});

const label = z.string().min(1);
const oneOrMore = z.union([label, z.array(label).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const LimitSchema = z
  .strictObject({
    /** names the limit in errors, headers and metrics */
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'a label of letters, digits and ._- (1–64 characters)' }),
    /** the dimension(s) counted apart: one bucket per key (default), user, feature, tenant, tier or model */
    per: z
      .union([z.enum(LIMIT_DIMENSIONS), z.array(z.enum(LIMIT_DIMENSIONS)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .default(['key']),
    /** only requests whose principal/feature/model match every listed value count */
    match: z
      .strictObject({
        key: oneOrMore,
        user: oneOrMore,
        tenant: oneOrMore,
        tier: oneOrMore,
        feature: oneOrMore,
        model: oneOrMore,
      })
      .partial()
      .default({}),
    /** requests per window: each request takes 1 */
    requests: RateSchema.optional(),
    /** tokens per window: prompt + max_tokens up front, corrected to the real usage when the answer ends */
    tokens: RateSchema.optional(),
    /** the bucket's capacity (the most taken at once after a quiet spell); default the rate's count */
    burst: z.number().min(1).optional(),
    onLimit: z.enum(LIMIT_ACTIONS).default('reject'),
    /** `onLimit: cheaper-model`: the routed model that serves requests over the limit */
    degradeTo: z.string().min(1).optional(),
    /** `onLimit: wait`: the longest a request waits for the bucket (bounded by timeouts.totalMs) */
    maxWait: durationMs.optional(),
  })
  .superRefine((l, ctx) => {
    const issue = (field: string, message: string): void => ctx.addIssue({ code: 'custom', path: [field], message });
    if ((l.requests === undefined) === (l.tokens === undefined)) {
      issue('requests', `exactly one of requests or tokens (${RATE_EXPECTED})`);
    }
    if (l.onLimit === 'cheaper-model' && l.degradeTo === undefined) {
      issue('degradeTo', 'a routed model to degrade to (onLimit: cheaper-model needs degradeTo)');
    }
    if (l.onLimit !== 'cheaper-model' && l.degradeTo !== undefined) {
      issue('degradeTo', 'no degradeTo unless onLimit is cheaper-model');
    }
    if (l.onLimit !== 'wait' && l.maxWait !== undefined) issue('maxWait', 'no maxWait unless onLimit is wait');
  })
  .transform((l) => {
    const kind = l.requests ? ('requests' as const) : ('tokens' as const);
    const rate = (l.requests ?? l.tokens) as Rate;
    const capacity = l.burst ?? rate.count;
    const refillPerSecond = (rate.count * 1000) / rate.windowMs;
    return { ...l, kind, rate, capacity, refillPerSecond, maxWaitMs: l.maxWait ?? DEFAULT_MAX_WAIT_MS };
  });
export type LimitConfig = z.output<typeof LimitSchema>;

interface LimitCheckInput {
  readonly limits: readonly LimitConfig[];
  readonly keys?: readonly KeyConfig[] | undefined;
  readonly routedModels: ReadonlySet<string>;
}

const list = (values: Iterable<string>): string => [...new Set(values)].map((v) => JSON.stringify(v)).join(', ');

/** Cross-field checks: unique ids, and every key, tenant, tier, user and model a limit names exists. */
export function checkLimits(cfg: LimitCheckInput, ctx: z.core.$RefinementCtx): void {
  const keys = cfg.keys ?? [];
  const known: Record<'key' | 'tenant' | 'tier' | 'user', Set<string>> = {
    key: new Set(keys.length > 0 ? keys.map((k) => k.id) : ['anonymous']),
    tenant: new Set(keys.length > 0 ? keys.map((k) => k.tenant) : ['anonymous']),
    tier: new Set(keys.length > 0 ? keys.map((k) => k.tier) : ['standard']),
    user: new Set(keys.flatMap((k) => (k.user === undefined ? [] : [k.user]))),
  };
  const what = {
    key: 'a key id declared in keys',
    tenant: 'a tenant some key names',
    tier: 'a tier some key has',
    user: 'a user some key names',
  };
  const routed = `a routed model (one of ${list(cfg.routedModels)})`;
  const ids = new Set<string>();
  cfg.limits.forEach((l, i) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path: ['limits', i, ...path], message });
    };
    if (ids.has(l.id)) issue(['id'], `a unique limit id ("${l.id}" is declared twice)`);
    ids.add(l.id);
    for (const dim of ['key', 'tenant', 'tier', 'user'] as const) {
      l.match[dim]?.forEach((v, j) => {
        if (!known[dim].has(v)) issue(['match', dim, j], `${what[dim]} (one of ${list(known[dim]) || 'none'})`);
      });
    }
    l.match.model?.forEach((m, j) => {
      if (!cfg.routedModels.has(m)) issue(['match', 'model', j], routed);
    });
    if (l.degradeTo !== undefined && !cfg.routedModels.has(l.degradeTo)) issue(['degradeTo'], routed);
  });
}
