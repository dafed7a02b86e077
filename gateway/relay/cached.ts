/**
 * Replay a cache hit in the client's format: the stored completion as JSON, or — for a stream —
 * a role chunk, the text in chunks (at once, or paced `intervalMs` apart as configured), the
 * finish chunk, the usage chunk when asked for, and `[DONE]`. The answer costs nothing upstream
 * (`usage.cost_usd` 0); what the stored answer cost is the saving (`x-gateway-cache-saved-usd`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import type { CacheHit } from '../cache/response-cache.js';
import type { ReplayConfig } from '../cache/config.js';
import { CHARS_PER_TOKEN } from '../../core/tokens.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { SseWriter } from './sse-writer.js';

function hitHeaders(ctx: RequestContext, hit: CacheHit): Record<string, string> {
  const e = hit.entry;
  const h: Record<string, string> = {
    'x-request-id': ctx.id,
    'x-gateway-route': ctx.route.model,
    'x-gateway-strategy': ctx.route.strategy.name,
    'x-gateway-upstream': e.target.upstream,
    'x-gateway-provider': e.target.provider,
    'x-gateway-region': e.target.region,
    'x-gateway-model': e.completion.model,
    'x-gateway-attempts': '0',
    'x-gateway-queue-ms': '0',
    'x-gateway-cache': ctx.cache?.outcome ?? 'exact',
    'x-gateway-cache-source': e.sourceRequestId,
    'x-gateway-cache-entry': e.id,
    'x-gateway-cache-similarity': hit.similarity.toFixed(4),
    'x-gateway-cache-age': String(Math.max(0, Math.floor((Date.now() - e.storedAt) / 1000))),
    'x-gateway-cost-usd': '0',
  };
  if (e.costUsd !== undefined) h['x-gateway-cache-saved-usd'] = String(e.costUsd);
  // served from the cache because of a rate limit (or on a route a soft budget chose)
  if (ctx.degraded) h['x-gateway-degraded'] = ctx.degraded;
  // rate limits' headers
  if (ctx.headers) Object.assign(h, ctx.headers);
  return h;
}

/** The stored completion as this request's answer: its id, the cost it carries now (none). */
function replayed(ctx: RequestContext, hit: CacheHit): ChatCompletion {
  const c = hit.entry.completion;
  const usage = c.usage ? { ...c.usage, cost_usd: 0 } : undefined;
  return { ...c, id: `chatcmpl-${ctx.id}`, created: Math.floor(Date.now() / 1000), ...(usage ? { usage } : {}) };
}

/** One SSE chunk of the replayed answer. */
function chunkOf(c: ChatCompletion, delta: Record<string, unknown>, finish: string | null): string {
  const choices = [{ index: 0, delta, finish_reason: finish }];
  return JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model, choices });
}

export async function relayCached(
  ctx: RequestContext,
  hit: CacheHit,
  reply: FastifyReply,
  deps: PipelineDeps,
  replay: ReplayConfig,
): Promise<FastifyReply | void> {
  const o = ctx.outcome;
  const completion = replayed(ctx, hit);
  o.status = 200;
  o.costUsd = 0;
  if (completion.usage) o.usage = completion.usage;
  if (hit.entry.costUsd !== undefined) deps.cache?.metrics.savedUsd.inc({ model: ctx.route.model }, hit.entry.costUsd);
  if (!ctx.stream) {
    o.ttftMs = performance.now() - ctx.startedAt;
    return reply.headers(hitHeaders(ctx, hit)).header('content-type', 'application/json').send(JSON.stringify(completion));
  }
  reply.hijack();
  reply.raw.writeHead(200, {
    ...hitHeaders(ctx, hit),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const out = new SseWriter(reply.raw);
  const choice = completion.choices[0];
  const text = typeof choice?.message.content === 'string' ? choice.message.content : '';
  await out.data(chunkOf(completion, { role: 'assistant', content: '' }, null));
  const size = replay.tokensPerChunk * CHARS_PER_TOKEN;
  for (let i = 0; i < text.length && !out.gone; i += size) {
    if (i > 0 && replay.mode === 'paced' && replay.intervalMs > 0) await sleep(replay.intervalMs);
    await out.data(chunkOf(completion, { content: text.slice(i, i + size) }, null));
    o.ttftMs ??= performance.now() - ctx.startedAt;
    o.streamedChars = Math.min(text.length, i + size);
  }
  await out.data(chunkOf(completion, {}, choice?.finish_reason ?? 'stop'));
  if (ctx.clientWantsUsage && completion.usage) {
    const { id, created, model, usage } = completion;
    await out.data(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
  }
  out.end('data: [DONE]\n\n');
}
