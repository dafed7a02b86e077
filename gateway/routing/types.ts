import type { Call } from '../upstream/call.js';
import type { Upstream } from '../upstream/types.js';

/** One place a route may send a request: an upstream and the model name to ask it for. */
export interface RouteTarget {
  readonly upstream: Upstream;
  readonly model: string;
  readonly priority: number;
}

/**
 * A routing strategy orders a route's targets for one call; the failover step walks that order.
 * Strategies are small registered units (routing/registry.ts), created once per route.
 */
export interface Strategy {
  readonly name: string;
  order(call: Call): readonly RouteTarget[];
}

export type StrategyFactory = (targets: readonly RouteTarget[]) => Strategy;

/** A client-facing model name and how it is served. */
export interface Route {
  readonly model: string;
  readonly strategy: Strategy;
  readonly targets: readonly RouteTarget[];
}
