/**
 * The exact cache's storage, behind a small interface so a shared implementation (Redis) can
 * stand in for the in-process one: get by key, set with a TTL. Entries are plain JSON.
 */
import { BoundedMap } from '../../core/bounded-map.js';
import type { CacheEntry } from './entry.js';

export interface ExactStore {
  get(key: string, now: number): Promise<CacheEntry | undefined> | CacheEntry | undefined;
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> | void;
  /** entries held (for the gauge; a shared store may answer an estimate) */
  size(): number;
}

/** An entry as held: its JSON text, and when it expires (read without parsing). */
interface Held {
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * In-process exact store: a Map in insertion order, expired entries dropped on read, the oldest
 * evicted at `maxEntries`. Each entry is held as its JSON text, as Redis holds it: one flat string
 * per entry instead of a graph of a dozen objects, so 100,000 entries are a small heap for the
 * collector to trace and a write promotes one string (measured by `npm run bench:controls`); and a
 * hit is a copy of its own, so nothing a request does to its answer reaches the entry.
 */
export class MemoryExactStore implements ExactStore {
  private readonly entries: BoundedMap<string, Held>;

  constructor(maxEntries: number) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(key: string, now: number): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(e.json) as CacheEntry;
  }

  set(key: string, entry: CacheEntry): void {
    // the newest; the oldest beyond maxEntries go
    this.entries.set(key, { json: JSON.stringify(entry), expiresAt: entry.expiresAt });
  }

  size(): number {
    return this.entries.size;
  }
}
