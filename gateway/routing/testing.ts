/**
 * Test helpers for strategies: Targets built from a few fields, a routing input, and the
 * config view `check` sees. Strategies never touch an upstream's pool or format, so those are
 * dummies cast to their types.
 */
import type { Pool } from 'undici';
import { mulberry32 } from '../../core/random.js';
import type { WireFormat } from '../domain/format.js';
import type { RoutingInput, Strategy, StrategyDeps, TargetConfigView } from '../domain/strategy.js';
import type { Breaker, Principal, Target, TargetPrice, TargetStats } from '../domain/types.js';
import { StrategyConfigSchema, createStrategy } from './registry.js';

export interface TargetSpec {
  upstream: string;
  model?: string;
  priority?: number;
  weight?: number;
  group?: string;
  price?: Partial<TargetPrice>;
  contextWindow?: number;
  region?: string;
  zone?: string;
  stats?: Partial<TargetStats>;
}

const healthyBreaker: Breaker = {
  state: 'closed',
  tryAcquire: () => true,
  record: () => undefined,
  release: () => undefined,
  health: () => 1,
  waitMs: () => 0,
};

/** A target; `priority` defaults to its position (1, 2, …) when built with `targets`. */
export function target(spec: TargetSpec, position = 1): Target {
  const model = spec.model ?? 'm';
  return {
    key: `${spec.upstream}:${model}`,
    upstream: {
      id: spec.upstream,
      provider: spec.upstream.split('/')[0] ?? spec.upstream,
      region: spec.region ?? 'us-east-1',
      zone: spec.zone ?? 'us',
      format: {} as WireFormat,
      url: 'http://127.0.0.1:1',
      basePath: '',
      headers: {},
      pool: {} as Pool,
      prefill: false,
    },
    model,
    priority: spec.priority ?? position,
    weight: spec.weight ?? 0,
    group: spec.group,
    price: { input: 1, cachedInput: 0.5, output: 2, ...spec.price },
    contextWindow: spec.contextWindow,
    stats: { inFlight: 0, inFlightTokens: 0, ttftEmaMs: undefined, observed: 0, ...spec.stats },
    breaker: healthyBreaker,
  };
}

export function targets(...specs: TargetSpec[]): Target[] {
  return specs.map((s, i) => target(s, i + 1));
}

export const principal: Principal = {
  keyId: 'k1',
  tenant: 't1',
  user: undefined,
  tier: 'free',
  features: undefined,
  models: undefined,
  homeRegion: undefined,
  maxPriority: 0,
  admin: false,
};

/** A routing input asking `prompt` (the last user message); override any field. */
export function input(over: Partial<RoutingInput> & { prompt?: string } = {}): RoutingInput {
  const { prompt = 'hello', ...rest } = over;
  return {
    request: { model: 'gpt', messages: [{ role: 'user', content: prompt }] },
    principal,
    feature: undefined,
    clientRegion: undefined,
    promptTokens: 100,
    maxTokens: undefined,
    ...rest,
  };
}

export function view(t: Target): TargetConfigView {
  return { upstream: t.upstream.id, model: t.model, weight: t.weight, group: t.group };
}

export function seeded(seed = 42): StrategyDeps {
  return { random: mulberry32(seed) };
}

/** The upstream ids of an order, for readable assertions. */
export function ids(order: readonly Target[]): string[] {
  return order.map((t) => t.upstream.id);
}

/** The strategy a route config would get: parsed through the registry's schema, then created. */
export function make(config: unknown, route: readonly Target[], deps: StrategyDeps = seeded()): Strategy {
  return createStrategy(StrategyConfigSchema.parse(config), route, deps);
}
