/**
 * POST /v1/chat/completions: make the request's context (trace), run the lifecycle, and settle
 * once when the response is over — answered, failed, or abandoned by the client (499).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { isStormlabError } from '../../core/errors.js';
import { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { runChat } from '../pipeline/index.js';
import { settle, type SettleHooks } from '../pipeline/settle.js';
import { logRequest } from '../pipeline/log-line.js';
import type { DirectLine } from '../telemetry/log-stream.js';
import { traceFrom } from '../telemetry/trace.js';
import type { InFlight } from './drain.js';
import { UpstreamClientError } from '../domain/upstream-client-error.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `x-request-id` when it is a sane token, else a fresh one. */
export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** What settle calls back for one request: methods, not closures made per request. */
class Settling implements SettleHooks {
  /** the serving target's release, once a target is committed to */
  leave: (() => void) | undefined = undefined;
  constructor(
    private readonly id: string,
    private readonly logger: FastifyBaseLogger,
    private readonly direct: DirectLine | undefined,
  ) {}
  log(ctx: RequestContext, durationMs: number): void {
    logRequest(this.logger, ctx, durationMs, this.direct);
  }
  billingFailed(e: unknown): void {
    this.logger.error({ err: e, requestId: this.id }, 'billing the request in the shared store failed');
  }
}

/** `direct`: the log's destination for the request line, where the gateway owns it (telemetry/log-stream.ts) */
export function registerChat(app: FastifyInstance, deps: PipelineDeps, inFlight: InFlight, direct?: DirectLine): void {
  // returns runChat's promise rather than awaiting it in an async handler: one promise chain a request
  app.post('/v1/chat/completions', (request, reply) => {
    const ctx = new RequestContext(request.id, traceFrom(request.headers.traceparent), performance.now());
    ctx.http = { headers: request.headers, body: request.body };
    const hooks = new Settling(ctx.id, request.log, direct);
    inFlight.enter();
    deps.metrics.inFlight.inc();
    // a response closes once: `on`, not `once` (no wrapper per request)
    reply.raw.on('close', () => {
      if (!reply.raw.writableEnded) {
        ctx.abort('client');
        ctx.outcome.status = 499;
      } else if (ctx.outcome.status === 0) ctx.outcome.status = reply.statusCode;
      settle(ctx, deps, hooks);
      deps.metrics.inFlight.dec();
      inFlight.leave();
    });
    const running = runChat(ctx, deps, reply, (leave) => {
      hooks.leave = leave;
    });
    return running.catch((e: unknown) => {
      ctx.outcome.errorCode = isStormlabError(e)
        ? e.code
        : e instanceof UpstreamClientError
          ? 'GW_UPSTREAM_CLIENT_ERROR'
          : 'GW_INTERNAL';
      if (ctx.retryAfterMs !== undefined) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(ctx.retryAfterMs / 1000))));
      }
      // what earlier stages set (rate limits' headers, their Retry-After) goes out with the error
      if (ctx.headers) reply.headers(ctx.headers);
      if (ctx.attempts.length > 0) reply.header('x-gateway-attempts', String(ctx.attempts.length));
      reply.header('x-gateway-queue-ms', String(Math.round(ctx.queueMs)));
      throw e;
    });
  });
}
