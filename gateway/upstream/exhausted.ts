import { StormlabError } from '../../core/errors.js';
import type { Call } from './call.js';

/**
 * The error for a call no attempt could serve. The client gone → GW_CLIENT_CLOSED (499);
 * totalMs spent, or every attempt timed out → GW_UPSTREAM_TIMEOUT (504); every attempt answered
 * 429 → GW_UPSTREAM_RATE_LIMITED (429, with the smallest upstream retry-after); otherwise
 * GW_UPSTREAM_EXHAUSTED (502). The message lists each attempt.
 */
export function exhaustedError(call: Call): StormlabError {
  const tried = call.attempts.map((a) => `${a.attempt.target.upstream.id}: ${a.detail}`).join('; ');
  const n = call.attempts.length;
  const summary = `${n} attempt${n === 1 ? '' : 's'} for ${call.route.model} failed${tried ? ` (${tried})` : ''}`;
  if (call.abortCause === 'client') return new StormlabError('GW_CLIENT_CLOSED', `client closed the request after ${summary}`);
  if (call.abortCause === 'deadline') {
    return new StormlabError('GW_UPSTREAM_TIMEOUT', `request exceeded timeouts.totalMs (${call.totalMs}ms): ${summary}`);
  }
  if (n > 0 && call.attempts.every((a) => a.outcome === '429')) {
    const waits = call.attempts.map((a) => a.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    call.retryAfterMs = waits.length ? Math.min(...waits) : undefined;
    return new StormlabError('GW_UPSTREAM_RATE_LIMITED', `every upstream is rate-limiting: ${summary}`);
  }
  if (n > 0 && call.attempts.every((a) => a.outcome === 'timeout')) return new StormlabError('GW_UPSTREAM_TIMEOUT', summary);
  if (n === 0) return new StormlabError('GW_NO_UPSTREAM', `no upstream is available for ${call.route.model}`);
  return new StormlabError('GW_UPSTREAM_EXHAUSTED', summary);
}
