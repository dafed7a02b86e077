/**
 * Routing strategies order a route's targets for one request; failover walks that order.
 * Each strategy is a small registered unit (routing/strategies/, one file each) with its own
 * option schema, created once per route.
 */
import type { z } from 'zod';
import type { ChatRequest } from './request.js';
import type { Principal, Target } from './types.js';

/** What a strategy may read about the request. */
export interface RoutingInput {
  readonly request: ChatRequest;
  readonly principal: Principal;
  /** the feature the request is for (from `metadata.feature` or `x-gateway-feature`, bounded by the key) */
  readonly feature: string | undefined;
  /** the client's region: the key's home region unless the request names one (`x-gateway-client-region`) */
  readonly clientRegion: string | undefined;
  /** estimated prompt tokens */
  readonly promptTokens: number;
  /** the output tokens asked for (`max_completion_tokens`/`max_tokens`), when given */
  readonly maxTokens: number | undefined;
}

export interface Strategy {
  readonly name: string;
  /**
   * The targets to try, best first. May leave targets out (a strict task or tier mapping); the
   * candidates given are already filtered (breaker, residency) and in the route's order.
   */
  order(input: RoutingInput, candidates: readonly Target[]): Target[];
}

export interface StrategyDeps {
  /** uniform [0, 1); seeded in tests */
  random(): number;
}

/** A registered strategy: its name, its options' schema, and how to make one for a route. */
export interface StrategyUnit<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** the route's `strategy` object (including `type: <name>`), validated at config load */
  readonly options: S;
  /**
   * Checks that need the route's targets (e.g. weights summing to 100, a group named by a
   * mapping that no target has). Return messages with the path inside the route.
   */
  check?(options: z.output<S>, targets: readonly TargetConfigView[]): Array<{ path: (string | number)[]; message: string }>;
  create(options: z.output<S>, targets: readonly Target[], deps: StrategyDeps): Strategy;
}

/** What `check` sees of a route's targets, before any upstream is live. */
export interface TargetConfigView {
  readonly upstream: string;
  readonly model: string;
  readonly weight: number | undefined;
  readonly group: string | undefined;
}
