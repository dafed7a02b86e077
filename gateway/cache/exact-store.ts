/**
 * The exact cache's storage, behind a small interface so a shared implementation (Redis) can
 * stand in for the in-process one: get by key, set with a TTL. Entries are plain JSON.
 */
import type { CacheEntry } from './entry.js';

export interface ExactStore {
  get(key: string, now: number): Promise<CacheEntry | undefined> | CacheEntry | undefined;
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> | void;
  /** entries held (for the gauge; a shared store may answer an estimate) */
  size(): number;
}

/** In-process exact store: a Map in insertion order, expired entries dropped on read, the oldest evicted at `maxEntries`. */
export class MemoryExactStore implements ExactStore {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  size(): number {
    return this.entries.size;
  }
}
