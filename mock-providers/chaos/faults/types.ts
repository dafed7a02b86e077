/**
 * What a fault unit declares. A unit is pure (no Node APIs, no I/O): it validates its own params
 * and says what it does to one call it hits; the endpoint engine carries that out (answers with a
 * status, holds the socket, cuts the stream). Faults that act on the listener (a closed port)
 * say so with `level: 'listener'` and are carried out by the fleet.
 */
import type { z } from 'zod';
import type { Rng } from '../../../core/random.js';
import type { FaultName } from './names.js';

export type ScopeKey = 'provider' | 'region' | 'model' | 'key';

/** What a fault may know about the call it decides on. */
export interface FaultCall {
  stream: boolean;
}

/** How the faults that hit a call change the way it is served; several compose. */
export interface CallModifiers {
  /** scales the time to first token (queueing excluded) */
  ttftMultiplier: number;
  /** scales every inter-token gap */
  itlMultiplier: number;
  /** close the connection after this many output tokens were sent */
  cutAfterTokens: number | null;
  /** the output token (0-based) whose stream event is sent broken */
  malformedAt: number | null;
  /** a non-stream body is cut to this fraction of its bytes (and its content-length) */
  truncateFraction: number | null;
}

export const NO_MODIFIERS: Readonly<CallModifiers> = Object.freeze({
  ttftMultiplier: 1,
  itlMultiplier: 1,
  cutAfterTokens: null,
  malformedAt: null,
  truncateFraction: null,
});

export type FaultHit =
  /** accept the request and never answer */
  | { kind: 'hang' }
  /** answer at once with this status in the API's error shape; `retryAfterS` null → no retry-after */
  | { kind: 'error'; status: number; retryAfterS: number | null }
  | { kind: 'modify'; modifiers: Partial<CallModifiers> };

export interface FaultUnit<S extends z.ZodType = z.ZodType> {
  name: FaultName;
  /** one line for the README and the control API */
  summary: string;
  /** the fault's own params; defaults filled in by the schema */
  params: S;
  /** `listener`: the endpoint's port is closed while the fault is active (no per-call decision) */
  level: 'listener' | 'call';
  /** scope keys this fault cannot honour (a closed port cannot tell models or keys apart) */
  unscopable?: readonly ScopeKey[];
  /** false: the fault hits every call in scope or none (probability must be 1) */
  probabilistic?: boolean;
  /** what happens to one call it hits; null when it does not apply to this kind of call */
  hit(params: z.output<S>, call: FaultCall, rng: Rng): FaultHit | null;
}

export function defineFault<S extends z.ZodType>(unit: FaultUnit<S>): FaultUnit<S> {
  return unit;
}
