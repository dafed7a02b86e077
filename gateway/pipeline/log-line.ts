/**
 * The one structured log line per request (pino's format, through fastify's logger): request id,
 * trace id, principal (key id, tenant, user — never the key material), route, target, attempts,
 * cache outcome, status, TTFT, tokens, cost. Nothing is built when the logger's `info` level is off.
 *
 * Where the gateway owns the log's destination and pino's line format is the default one
 * (telemetry/log-stream.ts), the line is serialised by `JSON.stringify` and handed to the
 * destination directly — the same line pino would write (level, time, pid, hostname, the fields,
 * msg), for about a third of pino's per-key serialisation (`npm run bench:controls`).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DirectLine } from '../telemetry/log-stream.js';
import type { RequestContext } from './context.js';

/** Whether `log` would write an info line (fastify's logger when logging is off has no levels at all). */
export function infoEnabled(log: FastifyBaseLogger): boolean {
  const levels = log as { isLevelEnabled?: (level: string) => boolean };
  return typeof levels.isLevelEnabled === 'function' && levels.isLevelEnabled('info');
}

/** pino's number for `info` */
const INFO = 30;

/**
 * The line's fields; with `direct`, pino's own head (level, time, pid, hostname) first and its
 * `msg` last, as pino writes them (undefined values are left out by both serialisers).
 */
function fields(ctx: RequestContext, durationMs: number, direct: DirectLine | undefined): Record<string, unknown> {
  const o = ctx.outcome;
  const p = ctx.principal;
  return {
    level: direct && INFO,
    time: direct && Date.now(),
    pid: direct?.pid,
    hostname: direct?.hostname,
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
    msg: direct && 'request',
  };
}

/** Write the request's line: straight to the destination with `direct`, else through pino. */
export function logRequest(log: FastifyBaseLogger, ctx: RequestContext, durationMs: number, direct?: DirectLine): void {
  if (!infoEnabled(log)) return;
  if (direct) direct.write(`${JSON.stringify(fields(ctx, durationMs, direct))}\n`);
  else log.info(fields(ctx, durationMs, undefined), 'request');
}
