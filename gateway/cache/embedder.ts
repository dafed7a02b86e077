/**
 * Embeddings for the semantic cache, from the embeddings route the config names (its targets in
 * order, breakers respected, every attempt counted and priced like any other; the whole lookup
 * bounded by `timeoutMs`), with a small LRU
 * of vectors so a text that comes back is embedded once, and one call in flight per text.
 */
import { BoundedMap } from '../../core/bounded-map.js';
import type { Route } from '../domain/route.js';
import type { AttemptResult } from '../domain/types.js';
import type { AttemptContext } from '../upstream/context.js';
import { embed } from '../upstream/embed.js';

export type EmbedCall = (ctx: AttemptContext, text: string) => Promise<Float32Array | undefined>;

export interface EmbedderHooks {
  /** every attempt made (metrics) */
  attempt(result: AttemptResult): void;
  /** price an embeddings usage for the target that served it */
  account(usage: unknown, result: AttemptResult): void;
}

/** One embeddings call over the route's targets; undefined when none answered with a vector. */
export function routeEmbedder(route: Route, opts: { dimensions: number | undefined; timeoutMs: number }, hooks: EmbedderHooks): EmbedCall {
  const targets = route.targets.filter((t) => t.upstream.format.embeddingsPath !== undefined);
  return async (parent, text) => {
    // one bound for the whole lookup, over every target tried: a slow embeddings model costs a miss, not the request
    const signal = AbortSignal.any([parent.signal, AbortSignal.timeout(opts.timeoutMs)]);
    // the lookup's own signal (with its timeout), not the request's abort that `onAbort` follows
    const { onAbort: _requestAbort, ...rest } = parent;
    const remainingMs = (n?: number): number => parent.remainingMs(n);
    const ctx: AttemptContext = { ...rest, route, signal, stream: false, promptTokens: 0, remainingMs };
    let n = 0;
    for (const target of targets) {
      if (ctx.signal.aborted) return undefined;
      if (!target.breaker.tryAcquire(performance.now())) continue;
      const request = { model: target.model, input: text, encoding_format: 'float' as const, ...(opts.dimensions ? { dimensions: opts.dimensions } : {}) };
      const r = await embed(ctx, target, request, ++n);
      hooks.attempt(r.result);
      target.breaker.record(r.result.outcome === 'ok' || r.result.outcome === '4xx', performance.now());
      const vector = r.json ? vectorOf(r.json) : undefined;
      if (vector) {
        hooks.account(r.json?.usage, r.result);
        return vector;
      }
    }
    return undefined;
  };
}

function vectorOf(json: Record<string, unknown>): Float32Array | undefined {
  const data = json.data;
  const first = Array.isArray(data) ? (data[0] as { embedding?: unknown } | undefined) : undefined;
  const e = first?.embedding;
  if (Array.isArray(e) && e.length > 0 && e.every((x) => typeof x === 'number')) return Float32Array.from(e as number[]);
  if (typeof e === 'string') {
    const buf = Buffer.from(e, 'base64');
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  }
  return undefined;
}

/** An LRU of vectors by text in front of an embeddings call; concurrent asks for one text share a call. */
export class EmbeddingCache {
  private readonly vectors: BoundedMap<string, Float32Array>;
  private readonly pending = new Map<string, Promise<Float32Array | undefined>>();
  hits = 0;
  calls = 0;

  constructor(
    private readonly call: EmbedCall,
    maxEntries: number,
  ) {
    this.vectors = new BoundedMap(maxEntries);
  }

  async vector(ctx: AttemptContext, text: string): Promise<Float32Array | undefined> {
    const known = this.vectors.get(text);
    if (known) {
      this.vectors.set(text, known); // the newest again
      this.hits += 1;
      return known;
    }
    let p = this.pending.get(text);
    if (!p) {
      this.calls += 1;
      p = this.call(ctx, text).finally(() => this.pending.delete(text));
      this.pending.set(text, p);
    }
    const v = await p;
    if (v && !this.vectors.has(text)) {
      this.vectors.set(text, v);
    }
    return v;
  }
}
