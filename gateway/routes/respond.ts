import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Accountant } from '../accounting.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { relaySse } from '../stream-relay.js';
import type { Call } from '../upstream/call.js';
import { classifyError } from '../upstream/classify.js';
import type { AttemptResult, UpstreamReply } from '../upstream/types.js';

export interface RespondDeps {
  account: Accountant;
  metrics: GatewayMetrics;
}

/** Send what the committed attempt got: a passed-through 4xx, a priced JSON body, or a relayed stream. */
export function respond(request: FastifyRequest, reply: FastifyReply, call: Call, result: AttemptResult, upstreamReply: UpstreamReply, deps: RespondDeps): FastifyReply {
  const target = result.attempt.target;
  const { upstream } = target;
  reply
    .code(upstreamReply.statusCode)
    .header('x-stormlab-upstream', upstream.id)
    .header('x-stormlab-provider', upstream.provider)
    .header('x-stormlab-region', upstream.region);

  if (result.outcome === '4xx') {
    // the upstream's own client error (OpenAI-shaped), passed through as it said it
    return reply.header('content-type', upstreamReply.headers['content-type'] ?? 'application/json').send(upstreamReply.text ?? '');
  }

  if (!call.stream) {
    const json = upstreamReply.json as { usage?: Record<string, unknown> };
    const cost = deps.account(json.usage, target);
    if (cost !== undefined && json.usage) {
      json.usage.cost_usd = cost;
      reply.header('x-stormlab-cost-usd', String(cost));
    }
    return reply.header('content-type', 'application/json').send(JSON.stringify(json));
  }

  const relay = relaySse(upstreamReply.body, {
    includeUsage: call.clientWantsUsage,
    onUsage: (usage) => deps.account(usage, target),
    onEnd: (end) => {
      if (end.done || call.abortCause === 'client') return;
      const reason = end.error === undefined ? 'incomplete' : classifyError(end.error, call, 'body').outcome;
      deps.metrics.truncations.inc({ upstream: upstream.id, reason });
      request.log.warn({ upstream: upstream.id, reason }, 'upstream stream ended early; client stream truncated');
    },
  });
  return reply
    .header('content-type', upstreamReply.headers['content-type'] ?? 'text/event-stream')
    .header('cache-control', 'no-cache')
    .send(Readable.from(relay, { objectMode: false }));
}
