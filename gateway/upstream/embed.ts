/** One embeddings attempt: the format's embeddings endpoint, decoded to OpenAI's list shape. */
import type { EmbeddingsRequest } from '../domain/request.js';
import type { AttemptResult, Target } from '../domain/types.js';
import type { AttemptContext } from './context.js';
import { retryAfterFromHeaders } from '../resilience/retry-after.js';
import { classifyFailure } from './failure.js';
import { joinPath } from './pool.js';

export async function embed(ctx: AttemptContext, target: Target, request: EmbeddingsRequest, n: number) {
  const { upstream } = target;
  const format = upstream.format;
  const t = ctx.route.timeouts;
  const path = joinPath(upstream.basePath, format.embeddingsPath?.(target.model) ?? '/v1/embeddings');
  const body = format.encodeEmbeddings ? format.encodeEmbeddings(request, target.model) : JSON.stringify({ ...request, model: target.model });
  try {
    const res = await upstream.pool.request({
      method: 'POST',
      path,
      headers: { ...upstream.headers, 'content-type': 'application/json', 'x-request-id': ctx.id },
      body,
      signal: ctx.signal,
      headersTimeout: t.firstByteMs,
      bodyTimeout: t.idleMs,
    });
    const text = await res.body.text();
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      const upstreamError = format.decodeError(status, text);
      const outcome = status === 429 ? '429' : status >= 500 ? '5xx' : '4xx';
      const retryAfterMs = retryAfterFromHeaders(res.headers, Date.now());
      const result: AttemptResult = { target, n, outcome, status, detail: `HTTP ${status}`, upstreamError };
      return { result: retryAfterMs === undefined ? result : { ...result, retryAfterMs } };
    }
    const parsed: unknown = JSON.parse(text);
    const json = (format.decodeEmbeddings ? format.decodeEmbeddings(parsed, target.model) : parsed) as Record<string, unknown> | undefined;
    if (!json || typeof json !== 'object') return { result: { target, n, outcome: 'invalid', status, detail: 'not an embeddings list' } as AttemptResult };
    return { result: { target, n, outcome: 'ok', status, detail: `HTTP ${status}` } as AttemptResult, json };
  } catch (error) {
    const c = classifyFailure(error, { abortCause: ctx.abortCause, totalMs: ctx.totalMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs }, 'headers');
    return { result: { target, n, ...c } as AttemptResult };
  }
}
