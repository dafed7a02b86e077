/**
 * One HTTP exchange with an upstream over undici's dispatcher API: the response's status, then its
 * body as it arrives — collected whole (a JSON answer, an error body), or handed chunk by chunk to a
 * sink (a stream, decoded as it comes). undici's `request()` would wrap every response in a
 * Readable, an async iterator and an AsyncResource; an upstream call is the gateway's hot path, so
 * this handler takes the chunks straight from the parser. Abort with a reason at any time: the
 * exchange fails with that reason (the socket is cut).
 */
import { util, type Dispatcher } from 'undici';
import type { AttemptContext } from './context.js';

export type Phase = 'headers' | 'body';

/** Where a stream's body goes once the status is known; false asks the socket to pause. */
export type Sink = (chunk: Buffer) => boolean | void;

export interface ExchangeEnd {
  /** the body ended normally */
  ok: boolean;
  error?: unknown;
  /** whether the failure came before or after the response headers */
  phase: Phase;
}

export class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  private rawHeaders: Buffer[] | string[] | null = null;
  private cut: ((reason: Error) => void) | undefined;
  private pending: Error | undefined;
  private resumeSocket: (() => void) | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private sink: Sink | undefined;
  private paused = false;
  private ended: ExchangeEnd | undefined;
  private onHead: ((failed: ExchangeEnd | undefined) => void) | undefined;
  private onEnd: Array<(end: ExchangeEnd) => void> | undefined;

  /** @param errorBodyLimit bytes of an error response's (non-2xx) body kept; past it the exchange is cut */
  constructor(private readonly errorBodyLimit = Number.POSITIVE_INFINITY) {}

  /** Send `opts` through `dispatcher` with this exchange as its handler. */
  start(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions): this {
    dispatcher.dispatch(opts, this);
    return this;
  }

  /** Resolves when the status is known (undefined), or with how the exchange failed before it. */
  head(): Promise<ExchangeEnd | undefined> {
    if (this.status !== 0) return Promise.resolve(undefined);
    if (this.ended) return Promise.resolve(this.ended);
    return new Promise((resolve) => (this.onHead = resolve));
  }

  /** Resolves when the body has ended or the exchange failed. */
  end(): Promise<ExchangeEnd> {
    return new Promise((resolve) => this.whenEnded(resolve));
  }

  /** Call `fn` when the body has ended or the exchange failed (at once if it has). */
  whenEnded(fn: (end: ExchangeEnd) => void): void {
    if (this.ended) fn(this.ended);
    else (this.onEnd ??= []).push(fn);
  }

  /** The collected body as text (what arrived before a sink was set, or all of it). */
  text(): string {
    const c = this.chunks;
    return c.length === 1 ? c[0]!.toString('utf8') : Buffer.concat(c).toString('utf8');
  }

  /** The response headers, parsed (lower-case names). */
  headers(): Record<string, string | string[] | undefined> {
    return this.rawHeaders ? (util.parseHeaders(this.rawHeaders) as Record<string, string | string[] | undefined>) : {};
  }

  get done(): boolean {
    return this.ended !== undefined;
  }

  /** From now on, body chunks go to `sink` (those collected so far first); return false from it to pause. */
  pipe(sink: Sink): void {
    this.sink = sink;
    const held = this.chunks;
    this.chunks = [];
    for (const c of held) if (sink(c) === false) this.paused = true;
  }

  /** Let a paused body flow again. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumeSocket?.();
  }

  /** Cut the exchange; it ends with `reason` (nothing happens once it has ended). */
  abort(reason: Error): void {
    if (this.ended) return;
    if (this.cut) this.cut(reason);
    else this.pending ??= reason;
  }

  // ---- undici's handler interface ----

  onConnect(abort: (err?: Error) => void): void {
    if (this.pending) abort(this.pending);
    else this.cut = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[], resume: () => void): boolean {
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    this.resumeSocket = resume;
    const fn = this.onHead;
    this.onHead = undefined;
    fn?.(undefined);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.sink) {
      if (this.sink(chunk) === false) this.paused = true;
      return !this.paused;
    }
    this.size += chunk.length;
    if (this.size > this.errorBodyLimit && (this.status < 200 || this.status >= 300)) {
      this.abort(new BodyTooLarge(this.errorBodyLimit));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish({ ok: true, phase: 'body' });
  }

  onError(error: Error): void {
    this.finish({ ok: false, error, phase: this.status === 0 ? 'headers' : 'body' });
  }

  private finish(end: ExchangeEnd): void {
    if (this.ended) return;
    this.ended = end;
    const head = this.onHead;
    const done = this.onEnd;
    this.onHead = undefined;
    this.onEnd = undefined;
    head?.(end);
    if (done) for (const fn of done) fn(end);
  }
}

/** A collected body went past its limit. */
export class BodyTooLarge extends Error {
  readonly code = 'STORMLAB_BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`response body over ${limit} bytes`);
  }
}

/** Cut `exchange` when the request is aborted (client gone, deadline); the result stops following. */
export function followAbort(ctx: Pick<AttemptContext, 'onAbort' | 'signal'>, exchange: Exchange): () => void {
  if (ctx.onAbort) return ctx.onAbort((reason) => exchange.abort(reason as Error));
  const parent = ctx.signal;
  const relay = (): void => exchange.abort(parent.reason as Error);
  if (parent.aborted) relay();
  else parent.addEventListener('abort', relay, { once: true });
  return () => parent.removeEventListener('abort', relay);
}
