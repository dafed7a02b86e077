import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { sendAttempt } from './attempt.js';
import { countAttempts } from './count.js';
import { failover, type RetryPolicy } from './failover.js';
import { primeBody } from './prime.js';
import type { AttemptInterceptor, CallDispatch, CallInterceptor } from './types.js';

/** Wrap `base` in interceptors; the first one listed is the outermost. */
export function compose<D>(base: D, ...interceptors: ReadonlyArray<(next: D) => D>): D {
  return interceptors.reduceRight((next, wrap) => wrap(next), base);
}

export interface PipelineOptions {
  retry: RetryPolicy;
  metrics: GatewayMetrics;
  /** extra steps around each attempt (outermost first), e.g. a circuit breaker */
  attemptSteps?: readonly AttemptInterceptor[];
  /** extra steps around the whole call (outermost first), e.g. a cache or a budget */
  callSteps?: readonly CallInterceptor[];
}

/**
 * The upstream side of a chat request:
 *   callSteps… → failover → countAttempts → attemptSteps… → primeBody → sendAttempt
 */
export function buildPipeline(opts: PipelineOptions): CallDispatch {
  const attempt = compose(sendAttempt(), countAttempts(opts.metrics), ...(opts.attemptSteps ?? []), primeBody);
  const call = failover(opts.retry, attempt, {
    onFailover: (failed) => opts.metrics.failovers.inc({ from: failed.attempt.target.upstream.id, reason: failed.outcome }),
  });
  return compose(call, ...(opts.callSteps ?? []));
}
