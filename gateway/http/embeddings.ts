/**
 * POST /v1/embeddings: auth, parse, route by model, then the route's targets in the strategy's
 * order until one answers (breakers respected, every attempt counted). The answer is OpenAI's
 * embeddings list with `usage.cost_usd`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatPath } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { EmbeddingsRequestSchema, type EmbeddingsRequest } from '../domain/request.js';
import type { Target } from '../domain/types.js';
import { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { authenticate } from '../pipeline/stages/authenticate.js';
import { admitRateLimits } from '../pipeline/stages/rate-limit.js';
import { estimateTokens } from '../../core/tokens.js';
import { exhaustedError } from '../pipeline/exhausted.js';
import { traceFrom } from '../telemetry/trace.js';
import { embed } from '../upstream/embed.js';
import { UpstreamClientError } from '../domain/upstream-client-error.js';

/** The input's tokens: estimated from text, counted for token arrays. */
function inputTokens(input: EmbeddingsRequest['input']): number {
  if (typeof input === 'string') return estimateTokens(input);
  let n = 0;
  for (const item of input) {
    n += typeof item === 'string' ? estimateTokens(item) : Array.isArray(item) ? item.length : 1;
  }
  return n;
}

function parseEmbeddings(body: unknown): EmbeddingsRequest {
  const r = EmbeddingsRequestSchema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue ? formatPath(issue.path) : '(root)';
  throw new StormlabError('GW_BAD_REQUEST', issue ? `${path}: ${issue.message}` : 'invalid request body', [{ path, expected: issue?.message }]);
}

export function registerEmbeddings(app: FastifyInstance, deps: PipelineDeps): void {
  app.post('/v1/embeddings', async (request, reply) => {
    const ctx = new RequestContext(request.id, traceFrom(request.headers.traceparent), performance.now());
    ctx.http = { headers: request.headers, body: request.body };
    try {
      return await serveEmbeddings(ctx, request, reply, deps);
    } catch (e) {
      // rate limits' headers (and their Retry-After) go out with the error
      if (ctx.headers) reply.headers(ctx.headers);
      throw e;
    }
  });
}

async function serveEmbeddings(ctx: RequestContext, request: FastifyRequest, reply: FastifyReply, deps: PipelineDeps): Promise<FastifyReply> {
  authenticate(ctx, deps);
  const body = parseEmbeddings(request.body);
  const route = deps.routes.get(body.model);
  if (!route) throw new StormlabError('GW_NO_UPSTREAM', `no route serves model "${body.model}"`, [{ path: 'model', expected: `one of ${deps.routeNames}` }]);
  if (ctx.principal.models && !ctx.principal.models.includes(route.model)) {
    throw new StormlabError('GW_FORBIDDEN', `this key may not use model "${route.model}"`, [{ path: 'model' }]);
  }
  // a pinned tenant's embeddings stay in its regions too
  const pin = deps.residency.pinOf(ctx.principal.tenant);
  ctx.route = pin ? deps.residency.view(pin, route) : route;
  ctx.setDeadline(route.timeouts.totalMs);
  let usedTokens = 0;
  reply.raw.once('close', () => {
    ctx.dispose();
    // a token limit keeps the input tokens really embedded (none when no target answered)
    const settled = ctx.limits ? deps.rateLimits.settle(ctx.limits.holds, usedTokens) : undefined;
    settled?.catch((e: unknown) => request.log.error({ err: e }, 'settling rate limits in the store failed'));
  });
  // rate limits count embeddings requests and input tokens too (over any limit: refused, never degraded)
  ctx.promptTokens = inputTokens(body.input);
  await admitRateLimits(ctx, deps, { degrade: false });
  const targets = ctx.route.targets.filter((t) => t.upstream.format.embeddingsPath !== undefined);
  for (const target of targets.slice(0, deps.retry.maxAttempts)) {
    const now = performance.now();
    if (!target.breaker.tryAcquire(now)) {
      ctx.skipped.push(target);
      continue;
    }
    const r = await embed(ctx, target, body, ctx.attempts.length + 1);
    ctx.attempts.push(r.result);
    deps.metrics.attempts.inc({ upstream: target.upstream.id, model: target.model, outcome: r.result.outcome });
    target.breaker.record(r.result.outcome === 'ok' || r.result.outcome === '4xx', performance.now());
    if (r.result.outcome === '4xx' && r.result.upstreamError) throw new UpstreamClientError(r.result.status ?? 400, r.result.upstreamError.body);
    if (r.json) {
      const used = (r.json.usage as { prompt_tokens?: unknown } | undefined)?.prompt_tokens;
      usedTokens = typeof used === 'number' ? used : ctx.promptTokens;
      return reply.headers(headersFor(ctx, target)).send(priced(r.json, target, deps));
    }
    if (ctx.signal.aborted) break;
  }
  throw exhaustedError(ctx, deps);
}

function headersFor(ctx: RequestContext, t: Target): Record<string, string> {
  return {
    'x-gateway-route': ctx.route.model,
    'x-gateway-upstream': t.upstream.id,
    'x-gateway-provider': t.upstream.provider,
    'x-gateway-region': t.upstream.region,
    'x-gateway-model': t.model,
    'x-gateway-attempts': String(ctx.attempts.length),
    // rate limits' headers
    ...ctx.headers,
  };
}

function priced(json: Record<string, unknown>, target: Target, deps: PipelineDeps): Record<string, unknown> {
  const usage = json.usage as Record<string, unknown> | undefined;
  if (usage && typeof usage.prompt_tokens === 'number') {
    const cost = deps.account({ prompt_tokens: usage.prompt_tokens, completion_tokens: 0 }, target);
    if (cost !== undefined) usage.cost_usd = cost;
  }
  return json;
}
