/** Relay a complete answer: the completion in OpenAI's shape, priced (`usage.cost_usd`). */
import type { FastifyReply } from 'fastify';
import type { ChatCompletion } from '../domain/openai.js';
import type { Target } from '../domain/types.js';
import type { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { decisionHeaders } from './headers.js';

export function relayJson(ctx: RequestContext, completion: ChatCompletion, served: Target, reply: FastifyReply, deps: PipelineDeps): FastifyReply {
  const outcome = ctx.outcome;
  outcome.served = served;
  outcome.ttftMs = performance.now() - ctx.startedAt;
  outcome.completion = completion;
  if (completion.usage) {
    outcome.usage = completion.usage;
    const cost = deps.account(completion.usage, served);
    if (cost !== undefined) {
      completion.usage.cost_usd = cost;
      outcome.costUsd = cost;
      reply.header('x-gateway-cost-usd', String(cost));
    }
  }
  return reply.headers(decisionHeaders(ctx, served)).header('content-type', 'application/json').send(JSON.stringify(completion));
}
