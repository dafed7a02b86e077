/**
 * What to do after a failed attempt: retry the same target, fail over, move to a larger-context target, or stop.
 * Pure: the caller supplies the state (attempts left, deadline, budget, backoff) and carries out the decision.
 *
 * The caller keeps ONE attempt counter for the whole request: failing over does not restart the retry cycle, so
 * `attemptsLeft` counts down across targets, while `sameTargetRetries` (retries already made on the failing
 * target) starts again at 0 on each new target. Pass `budget.canRetry(now)` as `budgetAllows` and take the retry
 * with `budget.tryRetry(now)` when the action is a new attempt. A target skipped without being sent (breaker open,
 * cooling down) spends no attempt and is not a decision.
 *
 * | outcome                  | fallback                                        | no fallback                         |
 * |--------------------------|-------------------------------------------------|-------------------------------------|
 * | 4xx                      | stop (pass the upstream's error through)        | same                                |
 * | context_length           | larger-context (none configured: the caller passes the error through)        |
 * | 429 + Retry-After        | the wait fits the deadline, the wait plus this target's own expected answer   |
 * |                          | beats the fallback's expected answer, and a same-target retry is left →       |
 * |                          | retry-same after the wait; else failover,                                     |
 * |                          | cooling the target down for the wait            | fits → retry-same, else stop        |
 * | 429, no Retry-After      | failover                                        | retry-same after backoff            |
 * | 5xx                      | retry-same after backoff while same-target retries are left, then failover   |
 * |                          |                                                 | … then stop                         |
 * | timeout                  | failover (a silent target is never retried)     | stop                                |
 * | connect, reset, invalid  | failover                                        | retry-same after backoff            |
 *
 * Before any of these: the client gone → stop; no attempts left, deadline passed or budget spent → stop with
 * that reason. A retry-same whose delay does not fit in the remaining time fails over instead, or stops.
 */
import type { AttemptOutcome } from '../domain/types.js';
import type { RetryConfig } from './retry-config.js';

/** outcomes decide() is asked about: not `ok`, not `skipped` (never sent, so nothing was spent) */
export type FailedOutcome = Exclude<AttemptOutcome, 'ok' | 'skipped'>;

export interface DecisionInput {
  readonly outcome: FailedOutcome;
  /** the upstream's Retry-After, in ms */
  readonly retryAfterMs?: number;
  /** retries already made on the failing target in this request (0 after its first failure) */
  readonly sameTargetRetries: number;
  /** attempts the request may still make, across all targets */
  readonly attemptsLeft: number;
  /** ms until the request's deadline */
  readonly remainingMs: number;
  /** another usable target (breaker not open, not cooling down) exists */
  readonly fallbackAvailable: boolean;
  /** how soon the fallback is expected to answer (e.g. its TTFT average), in ms */
  readonly fallbackExpectedMs?: number;
  /** how soon the failing target answers when it does (its own TTFT average), in ms; unknown counts as 0 */
  readonly targetExpectedMs?: number;
  /** the retry budget has room (budget.canRetry) */
  readonly budgetAllows: boolean;
  /** the backoff delay for this retry (backoffMs) */
  readonly backoffMs: number;
}

export type StopReason =
  | 'not-retryable'
  | 'client-gone'
  | 'attempts-exhausted'
  | 'deadline'
  | 'retry-budget'
  | 'same-target-limit'
  | 'no-fallback';

export type Decision =
  | { readonly action: 'retry-same'; readonly delayMs: number }
  | { readonly action: 'failover'; readonly coolDownMs?: number }
  | { readonly action: 'larger-context' }
  | { readonly action: 'stop'; readonly reason: StopReason };

const stop = (reason: StopReason): Decision => ({ action: 'stop', reason });
const FAILOVER: Decision = { action: 'failover' };

/** retry the same target after `delayMs` if that fits before the deadline; else fail over, or stop */
function sameOr(delayMs: number, input: DecisionInput): Decision {
  if (delayMs < input.remainingMs) return { action: 'retry-same', delayMs };
  return input.fallbackAvailable ? FAILOVER : stop('deadline');
}

function on429(input: DecisionInput, policy: Pick<RetryConfig, 'sameTargetRetries'>): Decision {
  const wait = input.retryAfterMs;
  if (wait === undefined) return input.fallbackAvailable ? FAILOVER : sameOr(input.backoffMs, input);
  const fits = wait < input.remainingMs;
  if (!input.fallbackAvailable) return fits ? { action: 'retry-same', delayMs: wait } : stop('deadline');
  // a retry answers after the wait AND the target's own time to answer: compare like with like
  const sooner = input.fallbackExpectedMs !== undefined && wait + (input.targetExpectedMs ?? 0) < input.fallbackExpectedMs;
  const sameLeft = input.sameTargetRetries < policy.sameTargetRetries;
  if (fits && sooner && sameLeft) return { action: 'retry-same', delayMs: wait };
  return { action: 'failover', coolDownMs: wait };
}

export function decide(input: DecisionInput, policy: Pick<RetryConfig, 'sameTargetRetries'>): Decision {
  const { outcome } = input;
  if (outcome === 'aborted') return stop('client-gone');
  if (outcome === '4xx') return stop('not-retryable');
  if (input.attemptsLeft <= 0) return stop('attempts-exhausted');
  if (input.remainingMs <= 0) return stop('deadline');
  if (!input.budgetAllows) return stop('retry-budget');
  switch (outcome) {
    case 'context_length':
      return { action: 'larger-context' };
    case '429':
      return on429(input, policy);
    case '5xx':
      if (input.sameTargetRetries < policy.sameTargetRetries) return sameOr(input.backoffMs, input);
      return input.fallbackAvailable ? FAILOVER : stop('same-target-limit');
    case 'timeout':
      return input.fallbackAvailable ? FAILOVER : stop('no-fallback');
    case 'connect':
    case 'reset':
    case 'invalid':
      return input.fallbackAvailable ? FAILOVER : sameOr(input.backoffMs, input);
  }
}
