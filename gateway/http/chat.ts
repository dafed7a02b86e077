/**
 * POST /v1/chat/completions: make the request's context (trace), run the lifecycle, and settle
 * once when the response is over — answered, failed, or abandoned by the client (499).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isStormlabError } from '../../core/errors.js';
import { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { runChat } from '../pipeline/index.js';
import { settle } from '../pipeline/settle.js';
import { logRequest } from '../pipeline/log-line.js';
import { traceFrom } from '../telemetry/trace.js';
import type { InFlight } from './drain.js';
import { UpstreamClientError } from '../domain/upstream-client-error.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `x-request-id` when it is a sane token, else a fresh one. */
export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

export function registerChat(app: FastifyInstance, deps: PipelineDeps, inFlight: InFlight): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    const ctx = new RequestContext(request.id, traceFrom(request.headers.traceparent), performance.now());
    ctx.http = { headers: request.headers, body: request.body };
    // on the raw response: kept by JSON answers, hijacked streams and the error handler alike
    ctx.setHeader = (name, value) => reply.raw.setHeader(name, value);
    let leave: (() => void) | undefined;
    inFlight.enter();
    deps.metrics.inFlight.inc();
    reply.raw.once('close', () => {
      if (!reply.raw.writableEnded) {
        ctx.abort('client');
        ctx.outcome.status = 499;
      } else if (ctx.outcome.status === 0) ctx.outcome.status = reply.statusCode;
      settle(ctx, deps, {
        leave,
        log: (c, ms) => logRequest(request.log, c, ms),
        billingFailed: (e) => request.log.error({ err: e, requestId: ctx.id }, 'billing the request in the shared store failed'),
      });
      deps.metrics.inFlight.dec();
      inFlight.leave();
    });
    try {
      return await runChat(ctx, deps, reply, (l) => {
        leave = l;
      });
    } catch (e) {
      ctx.outcome.errorCode = isStormlabError(e) ? e.code : e instanceof UpstreamClientError ? 'GW_UPSTREAM_CLIENT_ERROR' : 'GW_INTERNAL';
      if (ctx.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(ctx.retryAfterMs / 1000))));
      if (ctx.attempts.length > 0) reply.header('x-gateway-attempts', String(ctx.attempts.length));
      reply.header('x-gateway-queue-ms', String(Math.round(ctx.queueMs)));
      throw e;
    }
  });
}
