/**
 * Relay a committed stream to the client event by event. The answer's end is explicit either
 * way: `data: [DONE]` once the upstream's answer is complete (finish and usage seen — without
 * waiting for the upstream to close), or, when the upstream fails after content has gone out (a
 * cut, a stall past idleMs, a malformed or error event), an OpenAI-style error event and no
 * `[DONE]`. A cut answer may instead be continued on a fallback that accepts assistant prefill.
 */
import type { FastifyReply } from 'fastify';
import type { StreamItem } from '../domain/format.js';
import type { Target } from '../domain/types.js';
import type { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import type { Committed } from '../domain/answer.js';
import { classifyFailure } from '../upstream/failure.js';
import { decisionHeaders } from './headers.js';
import { SseWriter } from './sse-writer.js';

/** A committed stream. */
export type Live = Committed & { readonly answer: Extract<Committed['answer'], { kind: 'stream' }> };

/** Find and prime a fallback that continues `text` (the answer so far) after `broken` failed. */
export type Resume = (broken: Target, text: string) => Promise<Live | undefined>;

/** The state of one relayed answer. */
interface Progress {
  /** answer text sent so far (continuation prefill, billing of a cut stream) */
  text: string;
  contentSent: boolean;
  done: boolean;
  finishReason: string | null;
}

export async function relayStream(ctx: RequestContext, first: Live, reply: FastifyReply, deps: PipelineDeps, resume: Resume): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...decisionHeaders(ctx, first.target),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const out = new SseWriter(raw);
  const progress: Progress = { text: '', contentSent: false, done: false, finishReason: null };
  let live = first;
  ctx.outcome.served = live.target;
  ctx.outcome.status = 200;

  try {
    await relayLoop();
  } finally {
    live.leave();
  }

  async function relayLoop(): Promise<void> {
  for (;;) {
    const failure = await pump(ctx, live, out, progress, deps);
    live.answer.release();
    if (failure === undefined) return; // complete, or the client left
    const next = ctx.aborted || progress.text.length === 0 ? undefined : await resume(live.target, progress.text);
    if (next) {
      live.leave();
      live = next;
      ctx.outcome.served = next.target;
      ctx.outcome.continued = true;
      deps.metrics.continuations.inc({ from: first.target.upstream.id, to: next.target.upstream.id });
      continue;
    }
    ctx.outcome.truncated = failure.reason;
    deps.metrics.truncations.inc({ upstream: live.target.upstream.id, reason: failure.reason });
    const body = {
      error: {
        message: `the upstream stream failed after the answer had begun (${failure.detail}); the answer is incomplete`,
        type: 'upstream_error',
        code: 'GW_STREAM_INTERRUPTED',
        param: null,
      },
    };
    await out.data(JSON.stringify(body));
    out.end();
    return;
  }
  }
}

type Failure = { reason: string; detail: string };

/**
 * Forward items until the answer completes (undefined) or the upstream fails (why). Items are
 * handled synchronously; the relay waits only when the client's socket asks it to (backpressure),
 * and the items of one upstream read leave in one write.
 */
async function pump(
  ctx: RequestContext,
  live: Live,
  out: SseWriter,
  p: Progress,
  deps: PipelineDeps,
): Promise<Failure | undefined> {
  const { answer, target } = live;
  const continuing = p.contentSent;
  /** a write the socket asked to wait for */
  let wait: Promise<void> | undefined;
  const handle = (item: StreamItem): Failure | undefined => {
    switch (item.kind) {
      case 'chunk':
        if (continuing && !item.content) return undefined; // a continuation's role-only opening
        if (item.content && !p.contentSent) {
          p.contentSent = true;
          ctx.outcome.ttftMs = performance.now() - ctx.startedAt;
        }
        if (item.text) {
          p.text += item.text;
          ctx.outcome.streamedChars = p.text.length;
        }
        if (item.data.includes('"finish_reason":"')) p.finishReason = finishReasonOf(item.data) ?? p.finishReason;
        wait = out.data(item.data) ?? wait;
        return undefined;
      case 'usage': {
        ctx.outcome.usage = item.usage;
        const cost = deps.account(item.usage, target);
        ctx.outcome.costUsd = cost;
        if (ctx.clientWantsUsage) {
          const chunk = JSON.parse(item.data) as { usage?: Record<string, unknown> };
          if (chunk.usage && cost !== undefined) chunk.usage.cost_usd = cost;
          wait = out.data(JSON.stringify(chunk)) ?? wait;
        }
        return undefined;
      }
      case 'done':
        p.done = true;
        ctx.outcome.streamed = { text: p.text, finishReason: p.finishReason };
        out.end('data: [DONE]\n\n');
        return undefined;
      case 'error':
        return { reason: 'error_event', detail: item.error.body.error.message };
      case 'malformed':
        return { reason: 'malformed', detail: item.detail };
    }
  };
  /** one batch of items; undefined to go on, else how the answer ended (a failure, or `null` for done) */
  const batch = (items: readonly StreamItem[]): Failure | null | undefined => {
    let f: Failure | undefined;
    out.hold();
    for (const item of items) {
      f = handle(item);
      if (f || p.done) break;
    }
    // what the items wrote leaves as one write (after an error item, before the error event)
    wait = out.flush() ?? wait;
    return f ?? (p.done ? null : undefined);
  };

  const head = batch(answer.head);
  if (wait) {
    await wait;
    wait = undefined;
  }
  if (head !== undefined) return head ?? undefined;
  for (;;) {
    if (out.gone) return undefined;
    let next: IteratorResult<StreamItem[]>;
    try {
      next = await answer.rest.next();
    } catch (error) {
      if (ctx.abortCause === 'client' || out.gone) return undefined;
      const t = ctx.route.timeouts;
      const c = classifyFailure(error, { abortCause: ctx.abortCause, totalMs: ctx.totalMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs }, 'body');
      return { reason: c.outcome === 'timeout' ? 'stall' : 'cut', detail: c.detail };
    }
    if (next.done) return { reason: 'incomplete', detail: 'the upstream closed the stream before the answer was complete' };
    const r = batch(next.value);
    if (wait) {
      await wait;
      wait = undefined;
    }
    if (r !== undefined) return r ?? undefined;
  }
}

/** The finish reason of a chunk that carries one. */
function finishReasonOf(data: string): string | undefined {
  const chunk = JSON.parse(data) as { choices?: Array<{ finish_reason?: unknown }> };
  const f = chunk.choices?.[0]?.finish_reason;
  return typeof f === 'string' ? f : undefined;
}
