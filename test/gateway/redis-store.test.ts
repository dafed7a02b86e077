/**
 * The Redis store against a real redis-server: the shared contract suite (the same one the
 * in-process store passes), and two clients — two gateway instances — sharing one cap and one
 * token bucket without passing either together.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../gateway/state/contract.js';
import { createRedisClient, connectWithin } from '../../gateway/state/redis-client.js';
import { RedisStore } from '../../gateway/state/redis.js';
import { NEVER } from '../../gateway/state/store.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

async function store(prefix: string, now?: () => number): Promise<RedisStore> {
  const client = createRedisClient({ url: redis.url, connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 });
  if (!(await connectWithin(client, 2_000))) throw new Error('test redis-server is not answering');
  return new RedisStore(client, prefix, now);
}

// a fresh key prefix per store keeps the suite's cases apart on one server
describeStoreContract('redis', (now) => store(`t${randomUUID().slice(0, 8)}:`, now));

describe('two instances on one Redis', () => {
  it('share one cap: concurrent reservations from both never pass it together', async () => {
    const prefix = `pair${randomUUID().slice(0, 8)}:`;
    const [a, b] = await Promise.all([store(prefix), store(prefix)]);
    const tries = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).incrByIfWithin('budget', 0.25, 5, NEVER));
    const results = await Promise.all(tries);
    expect(results.filter((r) => r.applied)).toHaveLength(20);
    expect(await a.get('budget')).toBe(5);
    expect(await b.get('budget')).toBe(5);
    await Promise.all([a.close(), b.close()]);
  });

  it('share one token bucket and see the same refill', async () => {
    const prefix = `pair${randomUUID().slice(0, 8)}:`;
    const [a, b] = await Promise.all([store(prefix), store(prefix)]);
    const spec = { capacity: 12, refillPerSecond: 2 };
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('rpm', 1, spec, 50_000)));
    expect(results.filter((r) => r.allowed)).toHaveLength(12);
    const refused = await b.take('rpm', 1, spec, 50_000);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    expect((await a.take('rpm', 1, spec, 50_500)).allowed).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers a never-refilling bucket with an endless wait, and lists counters by prefix across clients', async () => {
    const prefix = `pair${randomUUID().slice(0, 8)}:`;
    const [a, b] = await Promise.all([store(prefix), store(prefix)]);
    expect((await a.take('frozen', 5, { capacity: 1, refillPerSecond: 0 }, 0)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    await a.incrBy('spend:key:x*[1]', 1.5, NEVER);
    await b.incrBy('spend:key:y', 2, NEVER);
    await b.incrBy('spendthrift', 9, NEVER);
    expect((await b.scan('spend:key:')).map((e) => [e.key, e.value])).toEqual([
      ['spend:key:x*[1]', 1.5],
      ['spend:key:y', 2],
    ]);
    await Promise.all([a.close(), b.close()]);
  });
});
