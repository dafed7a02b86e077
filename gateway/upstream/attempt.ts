/**
 * One attempt: send the request to one target, and hold the answer until it is worth committing
 * to — the whole body for a non-stream request, the first content event of a stream. Every
 * failure up to that point is an outcome (never a throw), so failover stays invisible.
 */
import type { DecodeContext, StreamItem, UpstreamErrorKind } from '../domain/format.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { Answer } from '../domain/answer.js';
import type { AttemptOutcome, AttemptResult, Target } from '../domain/types.js';
import type { AttemptContext } from './context.js';
import { retryAfterFromHeaders } from '../resilience/retry-after.js';
import { childTraceparent } from '../telemetry/trace.js';
import { Exchange, followAbort } from './exchange.js';
import { joinPath } from './pool.js';
import { classifyFailure, TtftTimeout } from './failure.js';
import { Batches, hasContent, prime } from './stream.js';

export interface AttemptRun {
  readonly result: AttemptResult;
  readonly answer?: Answer;
}

export interface AttemptOptions {
  /** continue this assistant text (assistant prefill) */
  readonly prefill?: string;
  /** hold a stream longer than its first content (cascade confidence) */
  readonly enough?: (head: readonly StreamItem[]) => boolean;
  /** ask the upstream for token log-probabilities even if the client did not (cascade confidence) */
  readonly logprobs?: boolean;
}

const ERROR_BODY_LIMIT = 64 * 1024;

/** An error reported inside a 2xx stream, as an attempt outcome. */
const ERROR_OUTCOME: Record<UpstreamErrorKind, AttemptOutcome> = {
  context_length: 'context_length',
  invalid: '4xx',
  policy: '4xx',
  auth: '4xx',
  rate_limit: '429',
  overloaded: '5xx',
  server: '5xx',
};
/** After a complete streamed answer, how long the rest of its body may take before its connection is cut. */
const DRAIN_MS = 1000;

function statusOutcome(status: number): AttemptOutcome {
  if (status === 429) return '429';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  return 'invalid';
}

export function decodeContext(ctx: AttemptContext, target: Target, logprobs = ctx.request.logprobs === true): DecodeContext {
  return { id: `chatcmpl-${ctx.id}`, model: target.model, created: Math.floor(Date.now() / 1000), logprobs, promptTokens: ctx.promptTokens };
}

/**
 * An attempt's watch over its exchange: it follows the request (client gone, deadline) until the
 * attempt is over, and cuts the exchange when no content came within the route's ttftMs.
 */
class Watch {
  ttftTimedOut: TtftTimeout | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly unfollow: () => void;
  private following = true;

  constructor(
    ctx: AttemptContext,
    readonly exchange: Exchange,
    readonly ttftMs: number,
  ) {
    this.unfollow = followAbort(ctx, exchange);
    this.timer = setTimeout(ttftExpired, Math.min(ttftMs, ctx.remainingMs()), this);
  }

  /** content came: the ttft clock stops (the request is still followed) */
  primed(): void {
    clearTimeout(this.timer);
  }

  /** the attempt is over: stop the clock and stop following the request */
  over(): void {
    clearTimeout(this.timer);
    if (!this.following) return;
    this.following = false;
    this.unfollow();
  }
}

function ttftExpired(w: Watch): void {
  w.ttftTimedOut = new TtftTimeout(w.ttftMs);
  w.exchange.abort(w.ttftTimedOut);
}

/** A primed stream answer: its head, the batches still to come, and the release of its connection. */
class StreamAnswer {
  readonly kind = 'stream';

  constructor(
    readonly head: StreamItem[],
    readonly rest: Batches,
    private readonly watch: Watch,
  ) {}

  /** Stop reading and let the connection go (kept for the next request when the answer was complete). */
  release(): void {
    this.watch.over();
    this.rest.release(DRAIN_MS);
  }
}

export async function sendAttempt(ctx: AttemptContext, target: Target, n: number, opts: AttemptOptions = {}): Promise<AttemptRun> {
  const { upstream } = target;
  const format = upstream.format;
  const t = ctx.route.timeouts;
  const started = performance.now();
  const exchange = new Exchange(ERROR_BODY_LIMIT);
  const watch = new Watch(ctx, exchange, t.ttftMs);

  exchange.start(upstream.pool, {
    method: 'POST',
    path: joinPath(upstream.basePath, format.chatPath(target.model, ctx.stream)),
    headers: {
      ...upstream.headers,
      'content-type': 'application/json',
      accept: ctx.stream ? 'text/event-stream' : 'application/json',
      'x-request-id': ctx.id,
      // the attempt's number within the request, for upstream-side accounting (the mock fleet's ledger)
      'x-stormlab-attempt': String(n),
      traceparent: childTraceparent(ctx.trace),
    },
    body: format.encodeChat(opts.logprobs ? { ...ctx.request, logprobs: true } : ctx.request, { model: target.model, prefill: opts.prefill }),
    headersTimeout: t.firstByteMs,
    bodyTimeout: t.idleMs,
  });
  // a stream is decoded from its first byte on; anything else (an answer, an error body) is read whole
  const failed = await exchange.head();
  if (failed) return failure(ctx, target, n, watch, failed.error, 'headers');
  const status = exchange.status;

  if (status < 200 || status >= 300) {
    // a body cut at its limit still has its first ERROR_BODY_LIMIT bytes; the status says enough without them
    await exchange.end();
    watch.over();
    const upstreamError = format.decodeError(status, exchange.text());
    let outcome = statusOutcome(status);
    if (upstreamError.kind === 'context_length') outcome = 'context_length';
    const retryAfterMs = retryAfterFromHeaders(exchange.headers(), Date.now());
    return { result: { target, n, outcome, status, detail: `HTTP ${status}`, upstreamError, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } };
  }

  const dctx = decodeContext(ctx, target, opts.logprobs === true || ctx.request.logprobs === true);
  if (!ctx.stream) {
    const end = await exchange.end();
    if (!end.ok) return failure(ctx, target, n, watch, end.error, 'body');
    watch.over();
    let completion: ChatCompletion | undefined;
    try {
      completion = format.decodeChat(JSON.parse(exchange.text()), dctx);
    } catch {
      completion = undefined;
    }
    if (!completion) return { result: { target, n, outcome: 'invalid', status, detail: 'response body is not a chat completion' } };
    const ttftMs = performance.now() - started;
    return { result: { target, n, outcome: 'ok', status, detail: `HTTP ${status}`, ttftMs }, answer: { kind: 'json', completion } };
  }

  const batches = new Batches(exchange, format.streamDecoder(dctx));
  const primed = await prime(batches, opts.enough ?? hasContent);
  watch.primed();
  if (!primed.ok) {
    watch.over();
    batches.release(DRAIN_MS);
    const f = primed.failure;
    if (f.kind === 'error') return failure(ctx, target, n, watch, f.error, 'body');
    if (f.kind === 'empty') return { result: { target, n, outcome: 'invalid', status, detail: 'stream ended before any content' } };
    if (f.item.kind === 'malformed') return { result: { target, n, outcome: 'invalid', status, detail: `malformed event: ${f.item.detail}` } };
    const upstreamError = f.item.error;
    const detail = `error event: ${upstreamError.body.error.message}`;
    return { result: { target, n, outcome: ERROR_OUTCOME[upstreamError.kind], status, detail, upstreamError } };
  }
  return {
    result: { target, n, outcome: 'ok', status, detail: `HTTP ${status}`, ttftMs: performance.now() - started },
    answer: new StreamAnswer(primed.head, batches, watch),
  };
}

/** The attempt failed on the way (connect, reset, timeout, client gone): its outcome. */
function failure(ctx: AttemptContext, target: Target, n: number, watch: Watch, error: unknown, phase: 'headers' | 'body'): AttemptRun {
  watch.over();
  const t = ctx.route.timeouts;
  const failCtx = { abortCause: ctx.abortCause, totalMs: ctx.totalMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs };
  return { result: { target, n, ...classifyFailure(watch.ttftTimedOut ?? error, failCtx, phase) } };
}
