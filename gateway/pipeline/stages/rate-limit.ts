/**
 * rate limits (admission, after select, before budgets): every limit covering the request takes
 * from its token bucket in the shared store — 1 for a request limit, the token estimate (prompt
 * + max_tokens) for a token limit. A limit found empty acts as its `onLimit` says:
 *   reject        → 429 GW_RATE_LIMITED naming the limit, with Retry-After
 *   cheaper-model → the request moves to `degradeTo` (uncounted by this limit; the others are asked again)
 *   cache-only    → a cache hit serves it; a miss gets the 429 (requireCacheHit, after the lookup)
 *   wait          → it takes its place in the bucket (a debt) and waits its turn, at most maxWait
 * What it did shows in `x-gateway-degraded` and `x-gateway-ratelimit-*`; settle corrects token limits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { StormlabError } from '../../../core/errors.js';
import type { Applicable, LimitHit, LimitHold, RateLimits } from '../../admission/rate-limits.js';
import type { BucketTake } from '../../state/store.js';
import type { RequestContext } from '../context.js';
import { degradeTo, requestSubject } from '../degrade.js';
import type { PipelineDeps } from '../deps.js';

const retryAfterSeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
const msText = (ms: number): string => (ms < 1000 ? `${Math.ceil(ms)} ms` : `${Math.round(ms / 100) / 10} s`);

/** What a take from a limit's bucket said. */
interface Seen {
  readonly a: Applicable;
  readonly take: BucketTake;
}

/** The tightest of a kind so far: the one with the fewest tokens left. */
const tighter = (best: Seen | undefined, a: Applicable, take: BucketTake): Seen | undefined =>
  !best || take.remaining < best.take.remaining ? { a, take } : best;

const HEADERS = {
  requests: ['x-gateway-ratelimit-limit-requests', 'x-gateway-ratelimit-remaining-requests'],
  tokens: ['x-gateway-ratelimit-limit-tokens', 'x-gateway-ratelimit-remaining-tokens'],
} as const;

const capacities = new WeakMap<Applicable['limit'], string>();
/** A limit's capacity as the header says it (made once per limit). */
function capacityText(limit: Applicable['limit']): string {
  let t = capacities.get(limit);
  if (t === undefined) capacities.set(limit, (t = String(limit.capacity)));
  return t;
}

/** The tightest limit of each kind seen: `x-gateway-ratelimit-{limit,remaining}-{requests,tokens}`. */
function showHeaders(ctx: RequestContext, requests: Seen | undefined, tokens: Seen | undefined): void {
  for (const s of [requests, tokens]) {
    if (!s) continue;
    const [limit, remaining] = HEADERS[s.a.limit.kind];
    ctx.setHeader(limit, capacityText(s.a.limit));
    ctx.setHeader(remaining, String(Math.max(0, Math.floor(s.take.remaining))));
  }
}

/** Show one limit's take in the headers (the limit that refused, or the cache-only one). */
const showOne = (ctx: RequestContext, s: Seen): void =>
  s.a.limit.kind === 'requests' ? showHeaders(ctx, s, undefined) : showHeaders(ctx, undefined, s);

/**
 * `onLimit: wait`: take the tokens anyway (the debt is the request's place in line) and wait
 * until the bucket has refilled it — unless that is longer than maxWait or the deadline allows.
 * Returns the hold, or how long the wait would have been.
 */
async function waitForBucket(
  ctx: RequestContext,
  rl: RateLimits,
  hit: LimitHit,
): Promise<LimitHold | { tooLongMs: number }> {
  const limit = hit.limit;
  const bound = Math.min(limit.maxWaitMs, ctx.remainingMs());
  if (hit.take.retryAfterMs > bound) return { tooLongMs: hit.take.retryAfterMs };
  const r = await rl.take(hit, hit.cost, true);
  const hold: LimitHold = { limit, subject: hit.subject, bucket: hit.bucket, spec: hit.spec, taken: hit.cost };
  const waitMs = r.remaining >= 0 ? 0 : Math.ceil((-r.remaining * 1000) / limit.refillPerSecond);
  if (waitMs > bound) {
    await rl.giveBack([hold]);
    return { tooLongMs: waitMs };
  }
  try {
    await sleep(waitMs, undefined, { signal: ctx.signal });
  } catch {
    // the client left, or the deadline passed: the place in line is given back
    await rl.giveBack([hold]);
    if (ctx.abortCause === 'client') {
      throw new StormlabError('GW_CLIENT_CLOSED', 'the client left while the request waited for a rate limit');
    }
    return { tooLongMs: waitMs };
  }
  ctx.degrade(`ratelimit=${limit.id}; waited=${waitMs}ms`);
  rl.count(limit, 'waited');
  return hold;
}

/** Over a limit that refuses: what was taken is given back, and the 429 names the limit. */
async function refuse(
  ctx: RequestContext,
  rl: RateLimits,
  holds: readonly LimitHold[],
  hit: LimitHit,
  why: string,
  retryAfterMs: number,
): Promise<never> {
  await rl.giveBack(holds);
  rl.count(hit.limit, 'rejected');
  // the limit that refused (the others' takes were just given back)
  showOne(ctx, { a: hit, take: hit.take });
  ctx.retryAfterMs = retryAfterMs;
  ctx.setHeader('retry-after', retryAfterSeconds(retryAfterMs));
  throw rl.exceeded(hit, why, retryAfterMs);
}

/** What the request took so far: its holds, and the tightest limit of each kind. */
class Taken {
  holds: LimitHold[] = [];
  requests: Seen | undefined = undefined;
  tokens: Seen | undefined = undefined;

  add(a: Applicable, cost: number, take: BucketTake): void {
    this.holds.push({ limit: a.limit, subject: a.subject, bucket: a.bucket, spec: a.spec, taken: cost });
    this.tighten(a, take);
  }

  /** A place in line the request waited for: the bucket shows as empty. */
  addWaited(a: Applicable, hold: LimitHold): void {
    this.holds.push(hold);
    this.tighten(a, { allowed: true, remaining: 0, retryAfterMs: 0 });
  }

  private tighten(a: Applicable, take: BucketTake): void {
    if (a.limit.kind === 'requests') this.requests = tighter(this.requests, a, take);
    else this.tokens = tighter(this.tokens, a, take);
  }

  /** Shown in the headers and kept for settle. */
  keep(ctx: RequestContext): void {
    showHeaders(ctx, this.requests, this.tokens);
    ctx.limits = { holds: this.holds };
  }
}

/**
 * `degrade: false` (embeddings): over a cheaper-model or cache-only limit the request is refused.
 * At once when every limit has room in the in-process store (the usual case); a promise when a
 * store answers with one (Redis) or a limit is reached.
 */
export function admitRateLimits(ctx: RequestContext, deps: PipelineDeps, opts?: { degrade?: boolean }): void | Promise<void> {
  const rl = deps.rateLimits;
  if (rl.configs.length === 0) return;
  const subject = requestSubject(ctx);
  const estimate = ctx.promptTokens + (ctx.maxTokens ?? 0);
  const taken = new Taken();
  const list = rl.applicable(subject);
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as Applicable;
    const cost = rl.cost(a.limit, estimate);
    const r = rl.take(a, cost);
    if (r instanceof Promise || !r.allowed) {
      const from: Resume = { list, i, pending: r, subject, estimate };
      return admitOverLimits(ctx, deps, opts?.degrade !== false, taken, from);
    }
    taken.add(a, cost, r);
  }
  taken.keep(ctx);
}

/** Where admitOverLimits goes on: the list of limits, the one at `i` and its store answer. */
interface Resume {
  list: Applicable[];
  i: number;
  pending: ReturnType<RateLimits['take']> | undefined;
  readonly subject: ReturnType<typeof requestSubject>;
  readonly estimate: number;
}

/** The rest of the limits, awaiting the store, and acting as a reached limit says. */
async function admitOverLimits(ctx: RequestContext, deps: PipelineDeps, degrade: boolean, taken: Taken, from: Resume): Promise<void> {
  const rl = deps.rateLimits;
  const { subject, estimate } = from;
  // limits whose overflow went to a cheaper model: the degraded request is not theirs to count
  let degradedBy: Set<string> | undefined;
  for (; from.i < from.list.length; from.i++) {
    const a = from.list[from.i] as Applicable;
    const cost = rl.cost(a.limit, estimate);
    // at once from the in-process store; awaited only when it is a promise (Redis)
    const r = from.pending ?? rl.take(a, cost);
    from.pending = undefined;
    const take = r instanceof Promise ? await r : r;
    if (take.allowed) {
      taken.add(a, cost, take);
      continue;
    }
    const hit: LimitHit = { limit: a.limit, subject: a.subject, bucket: a.bucket, spec: a.spec, cost, take };
    const limit = a.limit;
    if (limit.onLimit === 'wait') {
      const waited = await waitForBucket(ctx, rl, hit);
      if (!('tooLongMs' in waited)) {
        taken.addWaited(a, waited);
        continue;
      }
      const why = `waiting for it would take ${msText(waited.tooLongMs)}, ` +
        `over maxWait ${msText(Math.min(limit.maxWaitMs, ctx.remainingMs()))}; `;
      return refuse(ctx, rl, taken.holds, hit, why, waited.tooLongMs);
    }
    const to = limit.degradeTo === undefined ? undefined : deps.routes.get(limit.degradeTo);
    if (degrade && limit.onLimit === 'cheaper-model' && to && to.model !== ctx.route.model) {
      await rl.giveBack(taken.holds);
      taken = new Taken();
      rl.count(limit, 'cheaper-model');
      degradeTo(ctx, subject, to, `ratelimit=${limit.id}`);
      (degradedBy ??= new Set()).add(limit.id);
      // every limit asked again for the cheaper route
      from.list = rl.applicable(subject, degradedBy);
      from.i = -1;
      continue;
    }
    if (degrade && limit.onLimit === 'cache-only') {
      // served from the cache or not at all: nothing is taken, the 429 waits for the lookup's miss
      await rl.giveBack(taken.holds);
      showOne(ctx, { a, take });
      const why = 'its overflow is served from the cache only, and this request is not in the cache; ';
      const error = rl.exceeded(hit, why, take.retryAfterMs);
      ctx.limits = { holds: [], cacheOnly: { hit, error, retryAfterMs: take.retryAfterMs } };
      ctx.degrade(`ratelimit=${limit.id}; to=cache`);
      return;
    }
    return refuse(ctx, rl, taken.holds, hit, '', take.retryAfterMs);
  }
  if (ctx.abortCause === 'client') {
    // the client left while the store answered: settle has already run without these holds
    await rl.giveBack(taken.holds);
    return;
  }
  taken.keep(ctx);
}

/** After the cache lookup: a request over a cache-only limit that missed gets the limit's 429. */
export function requireCacheHit(ctx: RequestContext, deps: PipelineDeps): void {
  const only = ctx.limits?.cacheOnly;
  if (!only) return;
  deps.rateLimits.count(only.hit.limit, 'rejected');
  ctx.retryAfterMs = only.retryAfterMs;
  ctx.setHeader('retry-after', retryAfterSeconds(only.retryAfterMs));
  throw only.error;
}
