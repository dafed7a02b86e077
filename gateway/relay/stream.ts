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

type Failure = { reason: string; detail: string };

export async function relayStream(ctx: RequestContext, first: Live, reply: FastifyReply, deps: PipelineDeps, resume: Resume): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const headers = decisionHeaders(ctx, first.target);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers.connection = 'keep-alive';
  raw.writeHead(200, headers);
  ctx.outcome.served = first.target;
  ctx.outcome.status = 200;
  const relay = new StreamRelay(ctx, deps, new SseWriter(raw), first);
  try {
    await relay.run(resume);
  } finally {
    relay.live.leave();
  }
}

/**
 * One relayed answer: forwards items until the answer completes or the upstream fails, and on a
 * failure either continues on a fallback or ends the stream with the gateway's error event.
 * Items are handled synchronously; the relay waits only when the client's socket asks it to
 * (backpressure), and the items of one upstream read leave in one write.
 */
class StreamRelay {
  /** answer text sent so far (continuation prefill, billing of a cut stream) */
  private text = '';
  private contentSent = false;
  private done = false;
  private finishReason: string | null = null;
  /** the answer being relayed continues one that was cut (its role-only opening is dropped) */
  private continuing = false;
  /** a write the socket asked to wait for */
  private wait: Promise<void> | undefined;

  constructor(
    private readonly ctx: RequestContext,
    private readonly deps: PipelineDeps,
    private readonly out: SseWriter,
    public live: Live,
  ) {}

  async run(resume: Resume): Promise<void> {
    const { ctx, deps, out } = this;
    const first = this.live.target;
    for (;;) {
      const failure = await this.pump();
      this.live.answer.release();
      if (failure === undefined) return; // complete, or the client left
      const next = ctx.aborted || this.text.length === 0 ? undefined : await resume(this.live.target, this.text);
      if (next) {
        this.live.leave();
        this.live = next;
        ctx.outcome.served = next.target;
        ctx.outcome.continued = true;
        deps.metrics.continuations.inc({ from: first.upstream.id, to: next.target.upstream.id });
        continue;
      }
      ctx.outcome.truncated = failure.reason;
      deps.metrics.truncations.inc({ upstream: this.live.target.upstream.id, reason: failure.reason });
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

  /** Forward the live answer's items until it completes (undefined) or its upstream fails (why). */
  private async pump(): Promise<Failure | undefined> {
    const { answer } = this.live;
    this.continuing = this.contentSent;
    const head = this.batch(answer.head);
    await this.drained();
    if (head !== undefined) return head ?? undefined;
    for (;;) {
      if (this.out.gone) return undefined;
      let next: IteratorResult<StreamItem[]>;
      try {
        next = await answer.rest.next();
      } catch (error) {
        return this.broken(error);
      }
      if (next.done) return { reason: 'incomplete', detail: 'the upstream closed the stream before the answer was complete' };
      const r = this.batch(next.value);
      await this.drained();
      if (r !== undefined) return r ?? undefined;
    }
  }

  private drained(): Promise<void> | undefined {
    const w = this.wait;
    this.wait = undefined;
    return w;
  }

  /** The upstream failed mid-answer: a stall or a cut (undefined when it was the client leaving). */
  private broken(error: unknown): Failure | undefined {
    const ctx = this.ctx;
    if (ctx.abortCause === 'client' || this.out.gone) return undefined;
    const t = ctx.route.timeouts;
    const c = classifyFailure(error, { abortCause: ctx.abortCause, totalMs: ctx.totalMs, firstByteMs: t.firstByteMs, idleMs: t.idleMs }, 'body');
    return { reason: c.outcome === 'timeout' ? 'stall' : 'cut', detail: c.detail };
  }

  /** One batch of items; undefined to go on, else how the answer ended (a failure, or `null` for done). */
  private batch(items: readonly StreamItem[]): Failure | null | undefined {
    let f: Failure | undefined;
    this.out.hold();
    for (const item of items) {
      f = this.handle(item);
      if (f || this.done) break;
    }
    // what the items wrote leaves as one write (after an error item, before the error event)
    this.keep(this.out.flush());
    return f ?? (this.done ? null : undefined);
  }

  private keep(w: Promise<void> | undefined): void {
    if (w) this.wait = w;
  }

  private handle(item: StreamItem): Failure | undefined {
    const { ctx, out } = this;
    switch (item.kind) {
      case 'chunk':
        if (this.continuing && !item.content) return undefined; // a continuation's role-only opening
        if (item.content && !this.contentSent) {
          this.contentSent = true;
          ctx.outcome.ttftMs = performance.now() - ctx.startedAt;
        }
        if (item.text) {
          this.text += item.text;
          ctx.outcome.streamedChars = this.text.length;
        }
        if (item.finish !== undefined) this.finishReason = item.finish;
        this.keep(out.data(item.data));
        return undefined;
      case 'usage': {
        ctx.outcome.usage = item.usage;
        const cost = this.deps.account(item.usage, this.live.target);
        ctx.outcome.costUsd = cost;
        if (ctx.clientWantsUsage) this.keep(out.data(cost === undefined ? item.data : withCost(item, cost)));
        return undefined;
      }
      case 'done':
        this.done = true;
        ctx.outcome.streamed = { text: this.text, finishReason: this.finishReason };
        out.end('data: [DONE]\n\n');
        return undefined;
      case 'error':
        return { reason: 'error_event', detail: item.error.body.error.message };
      case 'malformed':
        return { reason: 'malformed', detail: item.detail };
    }
  }
}

/** The usage chunk's text with the gateway's price in `usage.cost_usd`. */
function withCost(item: Extract<StreamItem, { kind: 'usage' }>, cost: number): string {
  const chunk = item.chunk ? { ...item.chunk } : (JSON.parse(item.data) as Record<string, unknown>);
  const usage = chunk.usage;
  if (typeof usage !== 'object' || usage === null) return item.data;
  chunk.usage = { ...usage, cost_usd: cost };
  return JSON.stringify(chunk);
}
