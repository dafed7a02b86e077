/**
 * Rate limits over one shared store: instances that share it share every bucket; token limits
 * take their estimate (at most the capacity) and settle to the real usage; the 429 names the
 * limit by id and subject.
 */
import { describe, expect, it } from 'vitest';
import { LimitSchema } from '../config/limits.js';
import { MemoryStore } from '../state/memory.js';
import { Registry } from '../telemetry/registry.js';
import { createLimitMetrics } from '../telemetry/limit-metrics.js';
import { RateLimits } from './rate-limits.js';
import type { RequestSubject } from './subject.js';

const who: RequestSubject = { key: 'acme-app', tenant: 'acme', tier: 'free', user: undefined, feature: 'search', model: 'm1' };

function instances(n: number, limits: unknown[], t: { now: number }) {
  const store = new MemoryStore(() => t.now);
  const configs = limits.map((l) => LimitSchema.parse(l));
  return Array.from({ length: n }, () => new RateLimits(configs, store, createLimitMetrics(new Registry()), () => t.now));
}

describe('rate limits over a shared store', () => {
  it('two instances sharing a store grant a limit once between them, and refill it at its rate', async () => {
    const t = { now: 1_000_000 };
    const [a, b] = instances(2, [{ id: 'free-rpm', match: { tier: 'free' }, requests: '20/min' }], t);
    let granted = 0;
    for (let i = 0; i < 30; i++) {
      const rl = i % 2 === 0 ? a! : b!;
      const [limit] = rl.applicable(who, new Set());
      if ((await rl.take(limit!, 1)).allowed) granted++;
    }
    expect(granted).toBe(20);
    t.now += 3000; // 20/min: one request every 3 s
    const [limit] = a!.applicable(who, new Set());
    expect((await b!.take(limit!, 1)).allowed).toBe(true);
    expect((await a!.take(limit!, 1)).allowed).toBe(false);
  });

  it('a request without the dimension a limit counts by is not counted; match narrows', () => {
    const [rl] = instances(1, [
      { id: 'per-user', per: 'user', requests: '5/s' },
      { id: 'per-feature', per: ['tenant', 'feature'], requests: '5/s' },
      { id: 'paid', match: { tier: 'pro' }, requests: '5/s' },
    ], { now: 0 });
    expect(rl!.applicable(who, new Set()).map((x) => x.bucket)).toEqual(['ratelimit:per-feature:acme/search']);
  });

  it('a token limit takes the estimate up to its capacity and settles to the real usage', async () => {
    const t = { now: 0 };
    const [rl] = instances(1, [{ id: 'tpm', tokens: '1000/h' }], t);
    const [limit] = rl!.applicable(who, new Set());
    expect(rl!.cost(limit!.limit, 5000)).toBe(1000);
    expect((await rl!.take(limit!, 600)).remaining).toBe(400);
    await rl!.settle([{ ...limit!, taken: 600 }], 50);
    expect((await rl!.take(limit!, 0)).remaining).toBe(950);
    // more used than estimated: a debt the next requests wait out
    await rl!.settle([{ ...limit!, taken: 100 }], 1100);
    const next = await rl!.take(limit!, 1);
    expect(next.allowed).toBe(false);
    expect(next.remaining).toBe(-50);
    expect(next.retryAfterMs).toBe(Math.ceil((51 * 3_600_000) / 1000));
  });

  it('the 429 names the limit, its subject and its rate, and when to retry', async () => {
    const [rl] = instances(1, [{ id: 'free-rpm', requests: '20/min' }], { now: 0 });
    const [limit] = rl!.applicable(who, new Set());
    const e = rl!.exceeded({ ...limit!, cost: 1, take: { allowed: false, remaining: 0.2, retryAfterMs: 2400 } }, '', 2400);
    expect(e.code).toBe('GW_RATE_LIMITED');
    expect(e.status).toBe(429);
    expect(e.message).toBe('rate limit "free-rpm" for key "acme-app" is reached: 20/min requests; retry in 3 s');
  });
});
