/**
 * The shared store in Redis: the same interface as the in-process store (store.ts), every write
 * one Lua script (redis-scripts.ts), so several gateway instances share budgets' counters, spend
 * attribution and token buckets without read-modify-write races. Keys live under the configured
 * prefix: `<prefix>c:<key>` counters, `<prefix>b:<key>` buckets.
 */
import type { RedisClient } from './redis-client.js';
import { INCR_SCRIPT, TAKE_SCRIPT } from './redis-scripts.js';
import type { BucketSpec, BucketTake, SharedStore, StoreEntry } from './store.js';

/** Redis keeps an expired counter this long past its end (instances' clocks differ a little). */
const EXPIRY_GRACE_MS = 60_000;
const SCAN_BATCH = 1_000;

interface ScriptedClient extends RedisClient {
  /** amount, limit ('' = none), expiresAt, now, graceMs → applied, value */
  stormlabIncr(key: string, ...args: [string, string, string, string, string]): Promise<[number, string]>;
  /** cost, capacity, refillPerSecond, now, force → allowed, remaining, retryAfterMs */
  stormlabTake(key: string, ...args: [string, string, string, string, string]): Promise<[number, string, string]>;
}

/** Register the scripts on a client (EVALSHA, loaded again by ioredis after a Redis restart). */
function scripted(client: RedisClient): ScriptedClient {
  const c = client as ScriptedClient;
  if (typeof c.stormlabIncr !== 'function') {
    client.defineCommand('stormlabIncr', { numberOfKeys: 1, lua: INCR_SCRIPT });
    client.defineCommand('stormlabTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }
  return c;
}

/** A glob-safe literal for SCAN's MATCH. */
const globLiteral = (s: string): string => s.replace(/[*?[\]\\]/g, (ch) => `\\${ch}`);

const num = (s: string): number => Number(s);

export class RedisStore implements SharedStore {
  readonly kind = 'redis';
  private readonly client: ScriptedClient;

  constructor(
    client: RedisClient,
    private readonly prefix: string,
    /** epoch ms: when counters expire */
    private readonly now: () => number = Date.now,
  ) {
    this.client = scripted(client);
  }

  private counter(key: string): string {
    return `${this.prefix}c:${key}`;
  }

  /** one run of the counter script: `limit` '' for none */
  private async incr(key: string, amount: number, limit: string, expiresAt: number): Promise<{ applied: boolean; value: number }> {
    const args = [String(amount), limit, String(expiresAt), String(this.now()), String(EXPIRY_GRACE_MS)] as const;
    const [applied, value] = await this.client.stormlabIncr(this.counter(key), ...args);
    return { applied: applied === 1, value: num(value) };
  }

  async incrBy(key: string, amount: number, expiresAt: number): Promise<number> {
    return (await this.incr(key, amount, '', expiresAt)).value;
  }

  incrByIfWithin(key: string, amount: number, limit: number, expiresAt: number): Promise<{ applied: boolean; value: number }> {
    return this.incr(key, amount, String(limit), expiresAt);
  }

  async take(key: string, cost: number, spec: BucketSpec, now: number, force = false): Promise<BucketTake> {
    const args = [String(cost), String(spec.capacity), String(spec.refillPerSecond), String(now), force ? '1' : '0'] as const;
    const [allowed, remaining, wait] = await this.client.stormlabTake(`${this.prefix}b:${key}`, ...args);
    const retryAfterMs = num(wait);
    const never = retryAfterMs < 0;
    return { allowed: allowed === 1, remaining: num(remaining), retryAfterMs: never ? Number.POSITIVE_INFINITY : retryAfterMs };
  }

  async get(key: string): Promise<number> {
    const [v, e] = await this.client.hmget(this.counter(key), 'v', 'e');
    if (v == null) return 0;
    const end = num(e ?? '0');
    return end !== 0 && end <= this.now() ? 0 : num(v);
  }

  async scan(prefix: string): Promise<StoreEntry[]> {
    const strip = this.counter('').length;
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const match = `${globLiteral(this.counter(prefix))}*`;
      const [next, batch] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_BATCH);
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    if (keys.size === 0) return [];
    const list = [...keys];
    const pipe = this.client.pipeline();
    for (const k of list) pipe.hmget(k, 'v', 'e');
    const replies = (await pipe.exec()) ?? [];
    const t = this.now();
    const out: StoreEntry[] = [];
    replies.forEach(([err, reply], i) => {
      const [v, e] = (reply ?? []) as Array<string | null>;
      if (err || v == null) return;
      const expiresAt = num(e ?? '0');
      if (expiresAt !== 0 && expiresAt <= t) return;
      out.push({ key: (list[i] as string).slice(strip), value: num(v), expiresAt });
    });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Drops the connection (the store owns its client). */
  async close(): Promise<void> {
    this.client.disconnect();
  }
}
