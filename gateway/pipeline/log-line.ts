/** The one structured log line per request (pino, through fastify's logger). Never the key material. */
import type { FastifyBaseLogger } from 'fastify';
import type { RequestContext } from './context.js';

export function logRequest(log: FastifyBaseLogger, ctx: RequestContext, durationMs: number): void {
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
