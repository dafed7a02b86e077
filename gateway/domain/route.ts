import type { Strategy } from './strategy.js';
import type { Target } from './types.js';

/** Per-route timeouts (ms), the gateway's with the route's overrides applied. */
export interface RouteTimeouts {
  readonly connectMs: number;
  readonly firstByteMs: number;
  readonly ttftMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

/** A client-facing model name and how it is served. */
export interface Route {
  readonly model: string;
  readonly strategy: Strategy;
  readonly targets: readonly Target[];
  /** tried only when the prompt is over every target's context window */
  readonly contextFallback: readonly Target[];
  readonly timeouts: RouteTimeouts;
  /** a cascade route escalates to the next target when an answer's confidence is low */
  readonly confidence?: { readonly minMeanLogprob: number; readonly confidenceTokens: number };
}
