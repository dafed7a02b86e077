/**
 * The exact cache in Redis, shared by every instance: an entry is a JSON string that Redis
 * expires at its TTL, listed in one sorted set by expiry so the count stays bounded by
 * `maxEntries` (those expiring first go first). `FallbackExactStore` answers from an in-process
 * store while Redis is away; entries written there stay with the instance and are dropped when
 * it returns to Redis (they are only a cache).
 */
import type { RedisClient } from '../state/redis-client.js';
import type { RedisLink } from '../state/redis-link.js';
import type { CacheEntry } from './entry.js';
import { MemoryExactStore, type ExactStore } from './exact-store.js';

/** KEYS[1] entry, KEYS[2] index; ARGV: json, ttlMs, expiresAt, now, maxEntries. Returns the entries held. */
const SET_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
local n = redis.call('ZCARD', KEYS[2])
local over = n - tonumber(ARGV[5])
if over > 0 then
  for _, k in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do redis.call('DEL', k) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
  n = n - over
end
return n
`;

interface ScriptedClient extends RedisClient {
  /** entry, index; json, ttlMs, expiresAt, now, maxEntries */
  stormlabCacheSet(key: string, index: string, ...args: [string, string, string, string, string]): Promise<number>;
}

export class RedisExactStore implements ExactStore {
  private readonly client: ScriptedClient;
  private readonly index: string;
  /** the index's size after this instance's last write */
  private held = 0;

  constructor(
    client: RedisClient,
    private readonly prefix: string,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.client = client as ScriptedClient;
    if (typeof this.client.stormlabCacheSet !== 'function') {
      client.defineCommand('stormlabCacheSet', { numberOfKeys: 2, lua: SET_SCRIPT });
    }
    this.index = `${prefix}x-index`;
  }

  async get(key: string, now: number): Promise<CacheEntry | undefined> {
    const json = await this.client.get(`${this.prefix}x:${key}`);
    if (json === null) return undefined;
    const e = JSON.parse(json) as CacheEntry;
    return e.expiresAt > now ? e : undefined;
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(ttlMs)));
    const args = [JSON.stringify(entry), ttl, String(entry.expiresAt), String(this.now()), String(this.maxEntries)] as const;
    this.held = await this.client.stormlabCacheSet(`${this.prefix}x:${key}`, this.index, ...args);
  }

  size(): number {
    return this.held;
  }
}

export class FallbackExactStore implements ExactStore {
  #local: MemoryExactStore;

  constructor(
    private readonly remote: ExactStore,
    private readonly link: RedisLink,
    private readonly maxEntries: number,
  ) {
    this.#local = new MemoryExactStore(maxEntries);
    link.onChange(() => {
      this.#local = new MemoryExactStore(maxEntries);
    });
  }

  async get(key: string, now: number): Promise<CacheEntry | undefined> {
    if (this.link.up) {
      try {
        return await this.remote.get(key, now);
      } catch (e) {
        this.link.failed(e);
      }
    }
    return this.#local.get(key, now);
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (this.link.up) {
      try {
        return await this.remote.set(key, entry, ttlMs);
      } catch (e) {
        this.link.failed(e);
      }
    }
    this.#local.set(key, entry);
  }

  size(): number {
    return this.link.up ? this.remote.size() : this.#local.size();
  }
}
