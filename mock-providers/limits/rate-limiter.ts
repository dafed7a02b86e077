/**
 * RPM and TPM limits per API key, per endpoint and model: two token buckets that refill
 * continuously (a budget of `rpm` requests refills at rpm/60 per second), as OpenAI describes its
 * limits. A request needs one request and its token estimate; when either budget is short it is
 * refused with the time until it would fit (the retry-after), and takes nothing.
 */
import type { RateLimits } from '../fleet-schema.js';
import type { LimitWindow, RateLimitState } from '../formats/types.js';

const MINUTE_MS = 60_000;

class Bucket {
  private level: number;
  private at: number;
  private readonly perMs: number;
  constructor(
    readonly limit: number,
    now: number,
  ) {
    this.level = limit;
    this.at = now;
    this.perMs = limit / MINUTE_MS;
  }
  private refill(now: number): void {
    if (now > this.at) this.level = Math.min(this.limit, this.level + (now - this.at) * this.perMs);
    this.at = now;
  }
  /** ms until `n` fits (0: fits now; Infinity: never, n > limit) */
  waitFor(n: number, now: number): number {
    this.refill(now);
    if (n > this.limit) return Infinity;
    return n <= this.level ? 0 : (n - this.level) / this.perMs;
  }
  take(n: number): void {
    this.level -= n;
  }
  window(): LimitWindow {
    return { limit: this.limit, remaining: Math.max(0, Math.floor(this.level)), resetMs: (this.limit - this.level) / this.perMs };
  }
}

export type LimitDecision =
  | { ok: true; state: RateLimitState }
  /** `retryAfterMs` is null when the request can never fit (larger than the whole budget) */
  | { ok: false; state: RateLimitState; limit: 'requests' | 'tokens'; retryAfterMs: number | null; used: number; requested: number; limitValue: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { requests?: Bucket; tokens?: Bucket }>();
  /** @param keyCap distinct API keys tracked at most (the oldest is forgotten past it) */
  constructor(private readonly keyCap = 10_000) {}

  /** Check and, when it fits, take one request and `tokens` tokens for (model, key). */
  take(limits: RateLimits, model: string, key: string | null, tokens: number, now: number): LimitDecision {
    const id = `${model}\u0000${key ?? ''}`;
    let b = this.buckets.get(id);
    if (!b) {
      if (this.buckets.size >= this.keyCap) this.buckets.delete(this.buckets.keys().next().value!);
      b = { ...(limits.rpm ? { requests: new Bucket(limits.rpm, now) } : {}), ...(limits.tpm ? { tokens: new Bucket(limits.tpm, now) } : {}) };
      this.buckets.set(id, b);
    }
    const waitR = b.requests?.waitFor(1, now) ?? 0;
    const waitT = b.tokens?.waitFor(tokens, now) ?? 0;
    const state = (): RateLimitState => ({ ...(b.requests ? { requests: b.requests.window() } : {}), ...(b.tokens ? { tokens: b.tokens.window() } : {}) });
    if (waitR === 0 && waitT === 0) {
      b.requests?.take(1);
      b.tokens?.take(tokens);
      return { ok: true, state: state() };
    }
    const byTokens = waitT > waitR;
    const bucket = byTokens ? b.tokens! : b.requests!;
    const wait = Math.max(waitR, waitT);
    const requested = byTokens ? tokens : 1;
    return {
      ok: false,
      state: state(),
      limit: byTokens ? 'tokens' : 'requests',
      retryAfterMs: Number.isFinite(wait) ? wait : null,
      used: bucket.limit - bucket.window().remaining,
      requested,
      limitValue: bucket.limit,
    };
  }
}
