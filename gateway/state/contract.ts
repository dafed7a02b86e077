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
  });
}
