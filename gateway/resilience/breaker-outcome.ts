/**
 * What an attempt's outcome tells its target's breaker. A target that answered — even with a client error — is
 * healthy; one that could not answer is not. A 429 is neither: the target is alive but limited, and is handled by
 * a cool-down (cooldown.ts), not by opening the breaker (Envoy's consecutive_5xx does not count 429 either).
 */
import type { AttemptOutcome } from '../domain/types.js';

/** `true` record a success, `false` record a failure, `undefined` record nothing (call `release()`) */
export function breakerVerdict(outcome: AttemptOutcome): boolean | undefined {
  switch (outcome) {
    case 'ok':
    case '4xx':
    case 'context_length':
      return true;
    case 'connect':
    case 'reset':
    case 'timeout':
    case '5xx':
    case 'invalid':
      return false;
    case '429':
    case 'aborted':
    case 'skipped':
      return undefined;
  }
}
