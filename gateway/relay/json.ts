/**
 * Relay a complete answer: the completion in OpenAI's shape, priced (`usage.cost_usd`), written
 * on the raw response at once — status, headers and body in one `writeHead` + `end` — rather
 * than through fastify's reply (header by header, then its send and onSend machinery).
 */
import type { FastifyReply } from 'fastify';
import type { ChatCompletion } from '../domain/openai.js';
import type { Target } from '../domain/types.js';
import type { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { decisionHeaders } from './headers.js';

export function relayJson(
  ctx: RequestContext,
  completion: ChatCompletion,
  served: Target,
  reply: FastifyReply,
  deps: PipelineDeps,
): void {
  const outcome = ctx.outcome;
  outcome.served = served;
  outcome.ttftMs = performance.now() - ctx.startedAt;
  outcome.completion = completion;
  const headers = decisionHeaders(ctx, served);
  if (completion.usage) {
    outcome.usage = completion.usage;
    const cost = deps.account(completion.usage, served);
    if (cost !== undefined) {
      completion.usage.cost_usd = cost;
      outcome.costUsd = cost;
      headers['x-gateway-cost-usd'] = String(cost);
    }
  }
  const body = JSON.stringify(completion);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(body));
  // the response is ours from here: fastify sends nothing more for it (headers earlier stages
  // set, e.g. rate-limit ones, are among these: decisionHeaders adds `ctx.headers`)
  reply.hijack();
  reply.raw.writeHead(200, headers).end(body);
}
