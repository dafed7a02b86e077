/** One embeddings attempt: the format's embeddings endpoint, decoded to OpenAI's list shape. */
import type { EmbeddingsRequest } from '../domain/request.js';
import type { AttemptResult, Target } from '../domain/types.js';
import type { AttemptContext } from './context.js';
import { retryAfterFromHeaders } from '../resilience/retry-after.js';
import { Exchange, followAbort } from './exchange.js';
import { classifyFailure } from './failure.js';
import { joinPath } from './pool.js';

export async function embed(ctx: AttemptContext, target: Target, request: EmbeddingsRequest, n: number) {
  const { upstream } = target;
  const format = upstream.format;
  const t = ctx.route.timeouts;
  const path = joinPath(upstream.basePath, format.embeddingsPath?.(target.model) ?? '/v1/embeddings');
  const body = format.encodeEmbeddings ? format.encodeEmbeddings(request, target.model) : JSON.stringify({ ...request, model: target.model });
  const exchange = new Exchange();
  const unfollow = followAbort(ctx, exchange);
  exchange.start(upstream.pool, {
    method: 'POST',
    path,
    headers: { ...upstream.headers, 'content-type': 'application/json', 'x-request-id': ctx.id },
    body,
    headersTimeout: t.firstByteMs,
    bodyTimeout: t.idleMs,
  });
  const end = await exchange.end();
  unfollow();
  if (!end.ok) {
    const c = classifyFailure(end.error, { abortCause: ctx.abortCause, totalMs: ctx.totalMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs }, end.phase);
    return { result: { target, n, ...c } as AttemptResult };
  }
  const text = exchange.text();
  const status = exchange.status;
  if (status < 200 || status >= 300) {
    const upstreamError = format.decodeError(status, text);
    const outcome = status === 429 ? '429' : status >= 500 ? '5xx' : '4xx';
    const retryAfterMs = retryAfterFromHeaders(exchange.headers(), Date.now());
    const result: AttemptResult = { target, n, outcome, status, detail: `HTTP ${status}`, upstreamError };
    return { result: retryAfterMs === undefined ? result : { ...result, retryAfterMs } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { result: { target, n, outcome: 'invalid', status, detail: 'response body is not JSON' } as AttemptResult };
  }
  const json = (format.decodeEmbeddings ? format.decodeEmbeddings(parsed, target.model) : parsed) as Record<string, unknown> | undefined;
  if (!json || typeof json !== 'object') return { result: { target, n, outcome: 'invalid', status, detail: 'not an embeddings list' } as AttemptResult };
  return { result: { target, n, outcome: 'ok', status, detail: `HTTP ${status}` } as AttemptResult, json };
}
