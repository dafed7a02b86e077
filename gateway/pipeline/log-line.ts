/**
 * The one structured log line per request (pino, through fastify's logger): request id, trace id,
 * principal (key id, tenant, user — never the key material), route, target, attempts, cache
 * outcome, status, TTFT, tokens, cost. Nothing is built when the logger's `info` level is off.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RequestContext } from './context.js';

/** Whether `log` would write an info line (fastify's logger when logging is off has no levels at all). */
export function infoEnabled(log: FastifyBaseLogger): boolean {
  const levels = log as { isLevelEnabled?: (level: string) => boolean };
  return typeof levels.isLevelEnabled === 'function' && levels.isLevelEnabled('info');
}

export function logRequest(log: FastifyBaseLogger, ctx: RequestContext, durationMs: number): void {
  if (!infoEnabled(log)) return;
  const o = ctx.outcome;
  const p = ctx.principal;
  log.info(
    {
      requestId: ctx.id,
      traceId: ctx.trace.traceId,
      tenant: p?.tenant,
      keyId: p?.keyId,
      user: p?.user,
      route: ctx.route?.model,
      strategy: ctx.route?.strategy.name,
      stream: ctx.request?.stream === true,
      feature: ctx.feature,
      target: o.served?.key,
      attempts: ctx.attempts.map((a) => `${a.target.key} ${a.outcome}`),
      cache: ctx.cache?.outcome,
      status: o.status,
      error: o.errorCode,
      truncated: o.truncated,
      continued: o.continued,
      ttftMs: o.ttftMs === undefined ? undefined : Math.round(o.ttftMs),
      durationMs: Math.round(durationMs),
      tokensIn: o.usage?.prompt_tokens,
      tokensOut: o.usage?.completion_tokens,
      costUsd: o.costUsd,
      degraded: ctx.degraded,
      pinned: ctx.pin?.where,
    },
    'request',
  );
}
