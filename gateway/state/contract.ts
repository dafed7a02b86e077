/**
 * The behaviour every SharedStore implementation must have, as a vitest suite: run it against
 * the in-process store (memory.test.ts) and against any other implementation (a Redis store
 * under a real redis-server) so they stay interchangeable.
 */
import { describe, expect, it } from 'vitest';
import { NEVER, type SharedStore } from './store.js';

/** `make(now)` builds a fresh store whose clock reads `now()` (epoch ms) for expiry decisions. */
export function describeStoreContract(name: string, make: (now: () => number) => Promise<SharedStore>): void {
  describe(`SharedStore contract: ${name}`, () => {
    it('adds, reads, and expires a counter at its period end', async () => {
      let now = 1_000;
      const s = await make(() => now);
      expect(await s.incrBy('b:x', 0.25, 2_000)).toBe(0.25);
      expect(await s.incrBy('b:x', 0.5, 2_000)).toBe(0.75);
      expect(await s.get('b:x')).toBe(0.75);
      now = 2_000;
      expect(await s.get('b:x')).toBe(0);
      expect(await s.incrBy('b:x', 1, 3_000)).toBe(1);
      await s.close();
    });

    it('reserves against a cap only while the result stays within it', async () => {
      const s = await make(() => 0);
      expect(await s.incrByIfWithin('c', 0.6, 1, NEVER)).toEqual({ applied: true, value: 0.6 });
      expect(await s.incrByIfWithin('c', 0.6, 1, NEVER)).toEqual({ applied: false, value: 0.6 });
      expect(await s.incrByIfWithin('c', 0.4, 1, NEVER)).toEqual({ applied: true, value: 1 });
      expect(await s.incrBy('c', -0.4, NEVER)).toBeCloseTo(0.6, 12);
      await s.close();
    });

    it('never lets concurrent reservations pass the cap together', async () => {
      const s = await make(() => 0);
      const results = await Promise.all(Array.from({ length: 50 }, () => s.incrByIfWithin('cap', 1, 10, NEVER)));
      expect(results.filter((r) => r.applied)).toHaveLength(10);
      expect(await s.get('cap')).toBe(10);
      await s.close();
    });

    it('scans live counters by prefix', async () => {
      let now = 0;
      const s = await make(() => now);
      await s.incrBy('spend:tenant:a', 1, NEVER);
      await s.incrBy('spend:tenant:b', 2, 10);
      await s.incrBy('budget:x', 3, NEVER);
      now = 20;
      expect((await s.scan('spend:')).map((e) => [e.key, e.value])).toEqual([['spend:tenant:a', 1]]);
      await s.close();
    });

    it('takes from a token bucket, refuses with the wait until it refills, and refills over time', async () => {
      const s = await make(() => 0);
      const spec = { capacity: 3, refillPerSecond: 1 };
      expect(await s.take('tb', 2, spec, 10_000)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
      expect(await s.take('tb', 2, spec, 10_000)).toEqual({ allowed: false, remaining: 1, retryAfterMs: 1000 });
      const later = await s.take('tb', 2, spec, 11_500);
      expect(later.allowed).toBe(true);
      expect(later.remaining).toBeCloseTo(0.5, 9);
      // never refills past capacity
      expect((await s.take('tb', 0, spec, 100_000)).remaining).toBe(3);
      await s.close();
    });

    it('charges a forced take as a debt that later takes wait out, and gives tokens back', async () => {
      const s = await make(() => 0);
      const spec = { capacity: 10, refillPerSecond: 10 };
      expect((await s.take('debt', 25, spec, 0, true)).remaining).toBe(-15);
      expect(await s.take('debt', 1, spec, 0)).toEqual({ allowed: false, remaining: -15, retryAfterMs: 1600 });
      expect((await s.take('debt', -5, spec, 0)).remaining).toBe(-10);
      expect((await s.take('debt', 1, spec, 1_100)).allowed).toBe(true);
      await s.close();
    });

    it('never lets concurrent takes pass the bucket together', async () => {
      const s = await make(() => 0);
      const spec = { capacity: 10, refillPerSecond: 0.001 };
      const results = await Promise.all(Array.from({ length: 40 }, () => s.take('race', 1, spec, 5_000)));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
      await s.close();
    });
  });
}
