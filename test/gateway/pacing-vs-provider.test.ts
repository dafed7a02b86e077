/**
 * The pacer's send schedule against the mock fleet's own rate limiter (the provider's token
 * buckets), in simulated time: floods of P2 and P0 far above the limit for ten minutes never
 * meet a provider 429, and the sustained rate stays at the configured share.
 */
import { describe, expect, it } from 'vitest';
import { PacingThresholdsSchema } from '../../gateway/config/pacing.js';
import { Pacer } from '../../gateway/pacing/pacer.js';
import { RateLimiter } from '../../mock-providers/limits/rate-limiter.js';

const MINUTE = 60_000;

function simulate(opts: { rpm: number; tpm: number; p0Share: number; minutes: number }) {
  const th = PacingThresholdsSchema.parse({});
  const pacer = new Pacer({ rpm: opts.rpm, tpm: opts.tpm }, th, 0);
  const provider = new RateLimiter();
  const sends: number[] = [];
  let refused = 0;
  const send = (tokens: number, now: number): void => {
    if (!provider.take({ rpm: opts.rpm, tpm: opts.tpm }, 'm', 'k', tokens, now).ok) refused++;
    sends.push(now);
  };
  // demand: 3 × the RPM in requests of 200–2,000 tokens; a share of it P0 (within the band P0 has)
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const end = opts.minutes * MINUTE;
  const every = MINUTE / (3 * opts.rpm);
  for (let now = 0; now < end; now += every) {
    const tokens = 200 + Math.floor(rnd() * 1800);
    if (rnd() < opts.p0Share) {
      if (!pacer.tryNow(0, tokens, now)) pacer.force(tokens, now);
      send(tokens, now);
    } else if (pacer.tryNow(2, tokens, now)) send(tokens, now);
    else if (pacer.depth(2) < 50) pacer.enqueue(2, tokens, now);
    for (const t of pacer.poll(now).admitted) send(t.tokens, now);
  }
  return { sends, refused };
}

/** the most requests sent in any window of `ms` */
function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('pacing against the provider limiter', () => {
  it('a batch flood at 3× the RPM: no provider 429, ≤ 90 % in any minute, 80 % sustained', () => {
    const rpm = 600;
    const { sends, refused } = simulate({ rpm, tpm: 10_000_000, p0Share: 0, minutes: 10 });
    expect(refused).toBe(0);
    expect(maxInWindow(sends, MINUTE)).toBeLessThanOrEqual(0.9 * rpm + 1);
    const perMinute = sends.length / 10;
    expect(perMinute).toBeGreaterThan(0.78 * rpm);
    expect(perMinute).toBeLessThanOrEqual(0.8 * rpm + 0.1 * rpm / 10 + 1);
  });

  it('tokens as the binding limit, with P0 (≈ 5 % of the TPM) beside the batch: still no provider 429', () => {
    const rpm = 10_000;
    const tpm = 300_000;
    const { sends, refused } = simulate({ rpm, tpm, p0Share: 0.0005, minutes: 10 });
    expect(refused).toBe(0);
    // about 1,100 tokens each: 0.8 × 300,000 / 1,100 ≈ 218 a minute
    expect(sends.length / 10).toBeLessThan(240);
  });
});
