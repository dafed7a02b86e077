/**
 * The shared store with a way out: Redis while it answers, in-process state while it does not,
 * so a Redis outage never hangs or fails a request (commands are bounded by the client's
 * timeout, and once one fails the instance stops asking Redis until the link says it is back).
 *
 * While away, a counter continues from the last value this instance saw in Redis (other
 * instances' changes during the outage are not seen), and every change made locally is kept;
 * on the way back those changes are added to Redis before the instance switches over, so spend
 * billed during an outage is merged, not lost. Token buckets are not merged: an instance refills
 * and drains its own while away, and Redis's buckets carry on where they were.
 */
import { BoundedMap } from '../../core/bounded-map.js';
import { MemoryStore } from './memory.js';
import type { Rejoin, RedisLink } from './redis-link.js';
import { NEVER, type BucketSpec, type BucketTake, type SharedStore, type StoreEntry } from './store.js';

/** Counters whose last Redis value an instance remembers, to continue from during an outage. */
const REMEMBERED = 10_000;

interface Known {
  value: number;
  expiresAt: number;
}

export class FallbackStore implements SharedStore, Rejoin {
  #local: MemoryStore;
  /** last value seen in Redis, by counter (most recent last) */
  readonly #seen = new BoundedMap<string, Known>(REMEMBERED);
  /** counters already continued locally during this outage */
  #seeded = new Set<string>();
  /** changes made locally during the outage, to add to Redis on the way back */
  readonly #pending = new Map<string, Known>();

  constructor(
    private readonly remote: SharedStore,
    private readonly link: RedisLink,
    private readonly now: () => number = Date.now,
  ) {
    this.#local = new MemoryStore(now);
    link.register(this);
    link.onChange((to) => {
      // a fresh local state per outage: the next one continues from Redis's values again
      this.#local = new MemoryStore(now);
      this.#seeded = new Set();
      if (to === 'redis') this.#seen.clear();
    });
  }

  get kind(): string {
    return this.link.backend;
  }

  #remember(key: string, value: number, expiresAt: number): void {
    this.#seen.set(key, { value, expiresAt });
  }

  /** The local counter, continued from Redis's last value the first time the outage touches it. */
  #continue(key: string): MemoryStore {
    if (!this.#seeded.has(key)) {
      this.#seeded.add(key);
      const k = this.#seen.get(key);
      if (k && (k.expiresAt === NEVER || k.expiresAt > this.now())) this.#local.incrBy(key, k.value, k.expiresAt);
    }
    return this.#local;
  }

  #note(key: string, amount: number, expiresAt: number): void {
    const p = this.#pending.get(key);
    if (p) p.value += amount;
    else this.#pending.set(key, { value: amount, expiresAt });
  }

  /** Redis first while the link is up; on failure the link goes down and `local` answers. */
  async #either<T>(remote: () => Promise<T> | T, local: () => Promise<T> | T): Promise<T> {
    if (this.link.up) {
      try {
        return await remote();
      } catch (e) {
        this.link.failed(e);
      }
    }
    return local();
  }

  incrBy(key: string, amount: number, expiresAt: number): Promise<number> {
    return this.#either(
      async () => {
        const v = await this.remote.incrBy(key, amount, expiresAt);
        this.#remember(key, v, expiresAt);
        return v;
      },
      () => {
        this.#note(key, amount, expiresAt);
        return this.#continue(key).incrBy(key, amount, expiresAt);
      },
    );
  }

  incrByIfWithin(key: string, amount: number, limit: number, expiresAt: number): Promise<{ applied: boolean; value: number }> {
    return this.#either(
      async () => {
        const r = await this.remote.incrByIfWithin(key, amount, limit, expiresAt);
        this.#remember(key, r.value, expiresAt);
        return r;
      },
      async () => {
        const r = await this.#continue(key).incrByIfWithin(key, amount, limit, expiresAt);
        if (r.applied) this.#note(key, amount, expiresAt);
        return r;
      },
    );
  }

  take(key: string, cost: number, spec: BucketSpec, now: number, force = false): Promise<BucketTake> {
    return this.#either(
      () => this.remote.take(key, cost, spec, now, force),
      () => this.#local.take(key, cost, spec, now, force),
    );
  }

  get(key: string): Promise<number> {
    return this.#either(
      async () => {
        const v = await this.remote.get(key);
        const k = this.#seen.get(key);
        if (k) this.#remember(key, v, k.expiresAt);
        return v;
      },
      () => this.#continue(key).get(key),
    );
  }

  scan(prefix: string): Promise<StoreEntry[]> {
    return this.#either(
      () => this.remote.scan(prefix),
      () => {
        for (const key of this.#seen.keys()) if (key.startsWith(prefix)) this.#continue(key);
        return this.#local.scan(prefix);
      },
    );
  }

  idle(): boolean {
    return this.#pending.size === 0;
  }

  /** Add the outage's local changes to Redis (expired counters are dropped: their period is over). */
  async flush(): Promise<void> {
    const t = this.now();
    for (const [key, p] of [...this.#pending]) {
      this.#pending.delete(key);
      if (p.expiresAt !== NEVER && p.expiresAt <= t) continue;
      try {
        await this.remote.incrBy(key, p.value, p.expiresAt);
      } catch (e) {
        this.#note(key, p.value, p.expiresAt);
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    await this.#local.close();
    await this.remote.close();
  }
}
