/**
 * The fallback store over a real redis-server that is killed and restarted: while Redis is away a
 * counter continues from the last value seen in Redis (a cap still holds), and on the way back
 * the changes made meanwhile are added to Redis — except those of counters whose period ended.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackStore } from '../../gateway/state/fallback.js';
import { connectWithin, createRedisClient } from '../../gateway/state/redis-client.js';
import { RedisLink, type Backend } from '../../gateway/state/redis-link.js';
import { RedisStore } from '../../gateway/state/redis.js';
import { NEVER } from '../../gateway/state/store.js';
import { eventually } from '../helpers/gateway-instances.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

describe('fallback store across a Redis outage', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('continues counters from Redis while it is away, then merges what changed', async () => {
    const moves: Array<[Backend, string]> = [];
    const client = createRedisClient({ url: redis.url, connectTimeoutMs: 2_000, commandTimeoutMs: 300 });
    const link = new RedisLink(client, 50, { changed: (to, why) => void moves.push([to, why]) });
    const remote = new RedisStore(client, `fb${randomUUID().slice(0, 6)}:`);
    const store = new FallbackStore(remote, link);
    link.start(await connectWithin(client, 2_000));
    try {
      expect(store.kind).toBe('redis');
      expect(await store.incrByIfWithin('cap', 0.75, 1, NEVER)).toEqual({ applied: true, value: 0.75 });
      await redis.kill();
      // the first command after the kill already answers from in-process state
      expect(await store.incrByIfWithin('cap', 0.5, 1, NEVER)).toEqual({ applied: false, value: 0.75 });
      expect(store.kind).toBe('memory');
      expect(await store.incrByIfWithin('cap', 0.125, 1, NEVER)).toEqual({ applied: true, value: 0.875 });
      expect(await store.incrBy('fresh', 2, NEVER)).toBe(2);
      expect(await store.incrBy('short-period', 5, Date.now() + 100)).toBe(5);
      expect((await store.take('bucket', 1, { capacity: 1, refillPerSecond: 0.001 }, 0)).allowed).toBe(true);
      expect((await store.take('bucket', 1, { capacity: 1, refillPerSecond: 0.001 }, 0)).allowed).toBe(false);
      await new Promise((r) => setTimeout(r, 150));
      await redis.restart(); // empty: no persistence
      expect(await eventually(async () => store.kind, (k) => k === 'redis')).toBe('redis');
      // only the outage's own changes are in the fresh Redis; the ended period's counter is dropped
      expect(await remote.get('cap')).toBe(0.125);
      expect(await remote.get('fresh')).toBe(2);
      expect(await remote.get('short-period')).toBe(0);
      expect(moves.map((m) => m[0])).toEqual(['redis', 'memory', 'redis']);
      expect(moves[1]?.[1]).toMatch(/connection to Redis was lost|command failed/);
    } finally {
      link.close();
      await store.close();
    }
  });
});
