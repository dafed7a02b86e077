/** An upstream SSE body as batches of translated stream items, and holding it until first content. */
import type { StreamDecoder, StreamItem } from '../domain/format.js';
import { StreamItems } from '../formats/stream-items.js';
import type { Exchange } from './exchange.js';

/** Batches queued before the socket is paused (the relay is behind: the client reads slowly). */
const HIGH_WATER = 8;

/**
 * An upstream stream body as batches of translated stream items, one per body chunk (none empty),
 * decoded as the bytes arrive and queued for the relay, which takes them in order (`next`). The
 * socket pauses while the relay is more than a few batches behind. `complete` turns true with the
 * batch that holds the answer's `done` item.
 */
export class Batches implements AsyncIterator<StreamItem[]> {
  complete = false;
  private readonly queue: StreamItem[][] = [];
  private waiting: { resolve: (r: IteratorResult<StreamItem[]>) => void; reject: (e: unknown) => void } | undefined;
  private over: { error: unknown } | 'ended' | undefined;
  private paused = false;
  private released = false;

  constructor(
    private readonly exchange: Exchange,
    decoder: StreamDecoder,
  ) {
    const items = new StreamItems(decoder);
    exchange.pipe((bytes) => this.add(items.push(bytes)));
    exchange.whenEnded((end) => {
      if (!end.ok) return this.close({ error: end.error });
      this.add(items.end());
      this.close('ended');
    });
  }

  private add(batch: StreamItem[]): boolean {
    if (batch.length === 0 || this.released) return true;
    if (!this.complete) this.complete = batch.some(isDone);
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w.resolve({ value: batch, done: false });
      return true;
    }
    this.queue.push(batch);
    if (this.queue.length >= HIGH_WATER) this.paused = true;
    return !this.paused;
  }

  private close(how: { error: unknown } | 'ended'): void {
    if (this.over) return;
    this.over = how;
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    if (how === 'ended') w.resolve({ value: undefined, done: true });
    else w.reject(how.error);
  }

  next(): Promise<IteratorResult<StreamItem[]>> {
    const batch = this.queue.shift();
    if (batch) {
      if (this.paused && this.queue.length < HIGH_WATER / 2) {
        this.paused = false;
        this.exchange.resume();
      }
      return Promise.resolve({ value: batch, done: false });
    }
    const over = this.over;
    if (over === 'ended' || this.released) return Promise.resolve({ value: undefined, done: true });
    if (over) return Promise.reject(over.error);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /**
   * Stop reading. A complete answer's connection is kept for the next request: the rest of its
   * body (`[DONE]`, the end) is read and dropped, bounded by `drainMs` (then cut) — cutting it
   * would cost the next request a new connection (on TLS, a handshake). Anything else is cut.
   */
  release(drainMs: number): void {
    if (this.released) return;
    this.released = true;
    this.queue.length = 0;
    this.close('ended');
    const ex = this.exchange;
    if (ex.done) return;
    if (!this.complete) return ex.abort(new Error('the relay stopped reading the stream'));
    this.paused = false;
    ex.resume();
    const cut = setTimeout(() => ex.abort(new Error(`the body went on over ${drainMs} ms after the answer`)), drainMs);
    ex.whenEnded(() => clearTimeout(cut));
  }
}

/** Why holding a stream stopped before it could be committed. */
export type PrimeFailure =
  | { kind: 'error'; error: unknown }
  | { kind: 'item'; item: Extract<StreamItem, { kind: 'error' | 'malformed' }> }
  | { kind: 'empty' };

export type PrimeResult = { ok: true; head: StreamItem[] } | { ok: false; failure: PrimeFailure };

/**
 * Read batches until the answer has begun: a content-bearing chunk, or `done` (an answer with
 * no content, e.g. `max_tokens: 1` cut before any text). `enough` may ask to hold longer (a
 * cascade's confidence check). An upstream error or a malformed event first is a failure, so
 * the attempt can still fail over invisibly to the client.
 */
export async function prime(
  batches: AsyncIterator<StreamItem[]>,
  enough: (head: readonly StreamItem[]) => boolean = hasContent,
): Promise<PrimeResult> {
  const head: StreamItem[] = [];
  for (;;) {
    let next: IteratorResult<StreamItem[]>;
    try {
      next = await batches.next();
    } catch (error) {
      return { ok: false, failure: { kind: 'error', error } };
    }
    if (next.done) return head.some(isDone) ? { ok: true, head } : { ok: false, failure: { kind: 'empty' } };
    for (const item of next.value) {
      if (item.kind === 'error' || item.kind === 'malformed') return { ok: false, failure: { kind: 'item', item } };
      head.push(item);
    }
    if (head.some(isDone) || enough(head)) return { ok: true, head };
  }
}

const isDone = (i: StreamItem): boolean => i.kind === 'done';

export function hasContent(head: readonly StreamItem[]): boolean {
  for (const i of head) if (i.kind === 'chunk' && i.content) return true;
  return false;
}
