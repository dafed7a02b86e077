/** What went wrong with an upstream request, as an attempt outcome and a short detail. */
import type { AttemptOutcome } from '../domain/types.js';

/** Thrown into an attempt's signal when no content arrived within the route's `ttftMs`. */
export class TtftTimeout extends Error {
  readonly code = 'STORMLAB_TTFT_TIMEOUT';
  constructor(readonly ms: number) {
    super(`no content within timeouts.ttftMs (${ms}ms)`);
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (e.errors?.length) return errorCode(e.errors[0]); // AggregateError from happy eyeballs
  return e.cause === undefined ? undefined : errorCode(e.cause);
}

export interface FailureContext {
  /** why the request's signal fired, if it did */
  readonly abortCause: 'client' | 'deadline' | undefined;
  readonly totalMs: number;
  readonly firstByteMs: number;
  readonly idleMs: number;
}

/**
 * Classify a failed upstream request. `phase` says whether the response headers had arrived:
 * a broken socket before them is `connect`, after them `reset`.
 */
export function classifyFailure(error: unknown, ctx: FailureContext, phase: 'headers' | 'body'): { outcome: AttemptOutcome; detail: string } {
  if (ctx.abortCause === 'client') return { outcome: 'aborted', detail: 'client closed the request' };
  if (ctx.abortCause === 'deadline') return { outcome: 'timeout', detail: `request exceeded timeouts.totalMs (${ctx.totalMs}ms)` };
  if (error instanceof TtftTimeout) return { outcome: 'timeout', detail: error.message };
  const code = errorCode(error) ?? 'error';
  if (code === 'STORMLAB_TTFT_TIMEOUT') return { outcome: 'timeout', detail: (error as Error).message };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { outcome: 'timeout', detail: `no response headers within timeouts.firstByteMs (${ctx.firstByteMs}ms)` };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { outcome: 'timeout', detail: `upstream silent for timeouts.idleMs (${ctx.idleMs}ms)` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { outcome: 'connect', detail: 'connect timeout (timeouts.connectMs)' };
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return { outcome: 'invalid', detail: `malformed response (${code})` };
  }
  // ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET (other side closed), EHOSTUNREACH, …
  return { outcome: phase === 'headers' ? 'connect' : 'reset', detail: code };
}
