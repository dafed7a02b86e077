/**
 * Rate-limit metrics: what each limit did to the requests over it. Labels are bounded: the limit
 * id and kind come from config, the action from a fixed set.
 */
import type { LimitConfig } from '../config/limits.js';
import type { Registry } from './registry.js';

/** What happened to a request over a limit: refused (429), or served otherwise. */
export type LimitOutcome = 'rejected' | 'cheaper-model' | 'cache-only' | 'waited';

export interface LimitMetrics {
  action(limit: LimitConfig, action: LimitOutcome): void;
}

export function createLimitMetrics(r: Registry): LimitMetrics {
  const actions = r.counter(
    'stormlab_gateway_rate_limit_actions_total',
    'Requests over a gateway rate limit: rejected (429), or served by a cheaper model, from the cache or after a wait.',
    ['limit', 'kind', 'action'],
  );
  return { action: (limit, action) => actions.inc({ limit: limit.id, kind: limit.kind, action }) };
}
