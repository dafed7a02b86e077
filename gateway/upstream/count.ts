import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { AttemptInterceptor } from './types.js';

/** Count every attempt by upstream and outcome. */
export function countAttempts(metrics: GatewayMetrics): AttemptInterceptor {
  return (next) => async (attempt) => {
    const r = await next(attempt);
    metrics.attempts.inc({ upstream: attempt.target.upstream.id, outcome: r.outcome });
    return r;
  };
}
