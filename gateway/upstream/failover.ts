import { setTimeout as sleep } from 'node:timers/promises';
import type { RetryOn } from '../config-schema.js';
import type { RouteTarget } from '../routing/types.js';
import { exhaustedError } from './exhausted.js';
import type { AttemptDispatch, AttemptOutcome, AttemptResult, CallDispatch } from './types.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly on: readonly RetryOn[];
}

/** Which `retry.on` class lets an outcome move on to another attempt. */
const RETRY_CLASS: Partial<Record<AttemptOutcome, RetryOn>> = {
  connect: 'connect',
  reset: 'connect',
  timeout: 'timeout',
  '5xx': '5xx',
  invalid: '5xx',
  '429': '429',
};

export function isRetryable(outcome: AttemptOutcome, on: readonly RetryOn[]): boolean {
  const cls = RETRY_CLASS[outcome];
  return cls !== undefined && on.includes(cls);
}

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/** Pause before going round the targets again: exponential, at least what 429s asked for, capped. */
function roundDelayMs(round: number, lastRound: readonly AttemptResult[]): number {
  const retryAfter = Math.max(0, ...lastRound.map((r) => r.retryAfterMs ?? 0));
  return Math.min(BACKOFF_CAP_MS, Math.max(BACKOFF_BASE_MS * 2 ** (round - 1), retryAfter));
}

export interface FailoverHooks {
  /** an attempt failed and another one follows (`next` is the target it moves to) */
  onFailover?(failed: AttemptResult, next: RouteTarget): void;
}

/**
 * The step that turns a call into attempts: walk the strategy's order, moving on after a
 * retryable failure, until an attempt is `ok` (or a `4xx` to pass through) or `maxAttempts` is
 * spent. With fewer targets than attempts it goes round again after a short backoff.
 * Every attempt is appended to `call.attempts`. Exhaustion throws the catalog error.
 */
export function failover(policy: RetryPolicy, attempt: AttemptDispatch, hooks: FailoverHooks = {}): CallDispatch {
  return async (call) => {
    const order = call.route.strategy.order(call);
    if (order.length === 0) throw exhaustedError(call);
    for (let n = 1; n <= policy.maxAttempts; n++) {
      const index = (n - 1) % order.length;
      if (n > 1 && index === 0) {
        const round = (n - 1) / order.length;
        try {
          await sleep(roundDelayMs(round, call.attempts.slice(-order.length)), undefined, { signal: call.signal });
        } catch {
          break; // aborted: client gone or deadline passed
        }
      }
      const result = await attempt({ call, target: order[index] as RouteTarget, n });
      call.attempts.push(result);
      if (result.outcome === 'ok' || result.outcome === '4xx') return result;
      result.reply?.discard();
      if (n === policy.maxAttempts || call.signal.aborted || !isRetryable(result.outcome, policy.on)) break;
      hooks.onFailover?.(result, order[n % order.length] as RouteTarget);
    }
    throw exhaustedError(call);
  };
}
