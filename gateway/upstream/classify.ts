import { parseRetryAfterMs as parseRetryAfter } from '../resilience/retry-after.js';
import type { Call } from './call.js';
import type { AttemptOutcome } from './types.js';

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  return e.errors?.length ? errorCode(e.errors[0]) : undefined; // AggregateError from happy eyeballs
}

/**
 * Classify a failed upstream request. `phase` says whether the response headers had arrived:
 * a broken socket before them is `connect`, after them `reset`.
 */
export function classifyError(error: unknown, call: Call, phase: 'headers' | 'body'): { outcome: AttemptOutcome; detail: string } {
  if (call.abortCause === 'client') return { outcome: 'aborted', detail: 'client closed the request' };
  if (call.abortCause === 'deadline') return { outcome: 'timeout', detail: `request exceeded timeouts.totalMs (${call.totalMs}ms)` };
  const code = errorCode(error) ?? 'error';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { outcome: 'timeout', detail: 'no response headers within timeouts.firstByteMs' };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { outcome: 'timeout', detail: 'no body bytes within timeouts.firstByteMs' };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { outcome: 'connect', detail: 'connect timeout (timeouts.connectMs)' };
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return { outcome: 'invalid', detail: `malformed response (${code})` };
  }
  // ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET (other side closed), EHOSTUNREACH, …
  return { outcome: phase === 'headers' ? 'connect' : 'reset', detail: code };
}

/** `retry-after` as seconds or an HTTP date, in milliseconds (one implementation: resilience/retry-after.ts). */
export function parseRetryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  return parseRetryAfter(value, now);
}
