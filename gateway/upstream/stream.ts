/** An upstream SSE body as batches of translated stream items, and holding it until first content. */
import type { StreamDecoder, StreamItem } from '../domain/format.js';
import { StreamItems } from '../formats/stream-items.js';

/** Whether the answer read from a stream is complete (its `done` item has been produced). */
export interface StreamState {
  done: boolean;
}

/**
 * Body bytes → the adapter's items, one batch per body chunk (none empty).
 * `state.done` turns true with the batch that holds the answer's `done` item.
 */
export async function* streamItems(body: AsyncIterable<Buffer>, decoder: StreamDecoder, state?: StreamState): AsyncGenerator<StreamItem[]> {
  const items = new StreamItems(decoder);
  for await (const bytes of body) {
    const batch = items.push(bytes);
    if (state && !state.done) state.done = batch.some(isDone);
    if (batch.length > 0) yield batch;
  }
  const last = items.end();
  if (state && !state.done) state.done = last.some(isDone);
  if (last.length > 0) yield last;
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

/**
 * After a complete answer: read the rest of the body (`[DONE]`, the end) in the background, so the
 * connection goes back to the pool for the next request instead of being cut (which would cost
 * the next request a new connection — on TLS, a handshake). A body not over within `ms` is cut.
 */
export function drainRest(
  batches: AsyncIterator<StreamItem[]>,
  body: { readonly destroyed: boolean; destroy(): unknown },
  ms: number,
): void {
  const cut = setTimeout(() => {
    if (!body.destroyed) body.destroy();
  }, ms);
  void (async () => {
    try {
      while (!(await batches.next()).done);
    } catch {
      // cut, or the upstream failed after the answer: nothing left to keep
    } finally {
      clearTimeout(cut);
    }
  })();
}
