/**
 * The error for a request no attempt could serve. The client gone → GW_CLIENT_CLOSED (499);
 * the deadline spent, or every attempt timed out → GW_UPSTREAM_TIMEOUT (504); an upstream's own
 * client error (a 400 such as context_length_exceeded with no larger target) → passed through as
 * the provider said it; nothing tried because every target was open or cooling down →
 * GW_UPSTREAM_UNAVAILABLE (503); every attempt 429 → GW_UPSTREAM_RATE_LIMITED (429);
 * otherwise GW_UPSTREAM_EXHAUSTED (502). 429/502/503 carry Retry-After. The message lists
 * each attempt and why the gateway stopped.
 */
import { StormlabError } from '../../core/errors.js';
import { UpstreamClientError } from '../domain/upstream-client-error.js';
import type { RequestContext } from './context.js';
import type { PipelineDeps } from './deps.js';

const DEFAULT_RETRY_AFTER_MS = 1000;

export function exhaustedError(ctx: RequestContext, deps: PipelineDeps, stopReason?: string): Error {
  const tried = ctx.attempts.map((a) => `${a.target.key}: ${a.detail}`).join('; ');
  const n = ctx.attempts.length;
  const model = ctx.route.model;
  const why = stopReason ? `; stopped: ${stopReason}` : '';
  const summary = `${n} attempt${n === 1 ? '' : 's'} for ${model} failed${tried ? ` (${tried})` : ''}${why}`;
  if (ctx.abortCause === 'client') return new StormlabError('GW_CLIENT_CLOSED', `client closed the request after ${summary}`);
  if (ctx.abortCause === 'deadline') return new StormlabError('GW_UPSTREAM_TIMEOUT', `request exceeded timeouts.totalMs (${ctx.totalMs}ms): ${summary}`);

  const last = ctx.attempts.at(-1);
  if (last?.upstreamError && (last.outcome === '4xx' || last.outcome === 'context_length')) {
    return new UpstreamClientError(last.status ?? 400, last.upstreamError.body);
  }
  const now = performance.now();
  const waits = [...ctx.skipped, ...ctx.attempts.map((a) => a.target)].map((t) => deps.waitMs(t, now)).filter((w) => w > 0);
  const hinted = ctx.attempts.map((a) => a.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  ctx.retryAfterMs = Math.min(...waits, ...hinted, Number.POSITIVE_INFINITY);
  if (!Number.isFinite(ctx.retryAfterMs)) ctx.retryAfterMs = DEFAULT_RETRY_AFTER_MS;

  if (n === 0) {
    const skipped = ctx.skipped.map((t) => `${t.key}: ${t.breaker.state === 'closed' ? 'rate-limited, cooling down' : `circuit ${t.breaker.state}`}`);
    return new StormlabError('GW_UPSTREAM_UNAVAILABLE', `no target of ${model} is available (${skipped.join('; ') || 'none'})${why}`);
  }
  if (ctx.attempts.every((a) => a.outcome === '429')) return new StormlabError('GW_UPSTREAM_RATE_LIMITED', `every upstream is rate-limiting: ${summary}`);
  if (ctx.attempts.every((a) => a.outcome === 'timeout')) return new StormlabError('GW_UPSTREAM_TIMEOUT', summary);
  return new StormlabError('GW_UPSTREAM_EXHAUSTED', summary);
}
