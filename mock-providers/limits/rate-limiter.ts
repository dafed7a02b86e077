/**
 * RPM, TPM and Anthropic's separate input/output TPM per organisation (API key) and model: token
 * buckets that refill continuously (a budget of `rpm` requests refills at rpm/60 per second), as
 * OpenAI describes its limits. One limiter serves every region of a provider. A request needs one
 * request and its token estimates; when any budget is short it is refused with the time until it
 * would fit (the retry-after), and takes nothing.
 */
import { BoundedMap } from '../../core/bounded-map.js';
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

/** The budgets a limit can hold: requests, all tokens, and Anthropic's separate input and output tokens. */
export type LimitKind = 'requests' | 'tokens' | 'input_tokens' | 'output_tokens';

/** What one request takes: total tokens (TPM), prompt tokens (ITPM) and output tokens (OTPM). */
export interface TokenDemand {
  tokens: number;
  input: number;
  output: number;
}

export type LimitDecision =
  | { ok: true; state: RateLimitState }
  /** `retryAfterMs` is null when the request can never fit (larger than the whole budget) */
  | { ok: false; state: RateLimitState; limit: LimitKind; retryAfterMs: number | null; used: number; requested: number; limitValue: number };

const PER_MINUTE: ReadonlyArray<[LimitKind, keyof RateLimits, keyof RateLimitState]> = [
  ['requests', 'rpm', 'requests'],
  ['tokens', 'tpm', 'tokens'],
  ['input_tokens', 'itpm', 'inputTokens'],
  ['output_tokens', 'otpm', 'outputTokens'],
];

export class RateLimiter {
  private readonly buckets: BoundedMap<string, Map<LimitKind, Bucket>>;
  /** @param keyCap distinct API keys tracked at most (the oldest is forgotten past it) */
  constructor(keyCap = 10_000) {
    this.buckets = new BoundedMap(keyCap);
  }

  /**
   * Check and, when everything fits, take one request and the tokens for (model, key). `demand` as a
   * number is the total tokens, with no separate input and output parts.
   */
  take(limits: RateLimits, model: string, key: string | null, demand: number | TokenDemand, now: number): LimitDecision {
    const d = typeof demand === 'number' ? { tokens: demand, input: demand, output: 0 } : demand;
    const id = `${model}\u0000${key ?? ''}`;
    let b = this.buckets.get(id);
    if (!b) {
      b = new Map();
      for (const [kind, field] of PER_MINUTE) {
        const limit = limits[field];
        if (limit) b.set(kind, new Bucket(limit, now));
      }
      this.buckets.set(id, b);
    }
    const wanted: Record<LimitKind, number> = { requests: 1, tokens: d.tokens, input_tokens: d.input, output_tokens: d.output };
    let worst: { kind: LimitKind; wait: number } | null = null;
    for (const [kind, bucket] of b) {
      const wait = bucket.waitFor(wanted[kind], now);
      if (wait > 0 && (worst === null || wait > worst.wait)) worst = { kind, wait };
    }
    const state = (): RateLimitState => {
      const st: RateLimitState = {};
      for (const [kind, , field] of PER_MINUTE) {
        const bucket = b.get(kind);
        if (bucket) st[field] = bucket.window();
      }
      return st;
    };
    if (worst === null) {
      for (const [kind, bucket] of b) bucket.take(wanted[kind]);
      return { ok: true, state: state() };
    }
    const bucket = b.get(worst.kind)!;
    return {
      ok: false,
      state: state(),
      limit: worst.kind,
      retryAfterMs: Number.isFinite(worst.wait) ? worst.wait : null,
      used: bucket.limit - bucket.window().remaining,
      requested: wanted[worst.kind],
      limitValue: bucket.limit,
    };
  }
}
