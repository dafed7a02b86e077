/**
 * The in-process store: one Map, single-threaded, so each operation is atomic by construction.
 * It answers at once (values, not promises: `Maybe` in store.ts). Expired counters read as 0 and
 * are dropped when touched or swept (at most once a minute); the sweep also forgets buckets that
 * have refilled (a new bucket starts full, so a full one need not be kept).
 */
import { takeFromBucket, type Bucket } from './bucket.js';
import { NEVER, type BucketSpec, type BucketTake, type SharedStore, type StoreEntry } from './store.js';

const SWEEP_EVERY_MS = 60_000;

interface Cell {
  value: number;
  expiresAt: number;
}

interface HeldBucket extends Bucket {
  spec: BucketSpec;
}

export class MemoryStore implements SharedStore {
  readonly kind = 'memory';
  private readonly cells = new Map<string, Cell>();
  private readonly buckets = new Map<string, HeldBucket>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string, t: number): Cell | undefined {
    const c = this.cells.get(key);
    if (c && c.expiresAt !== NEVER && c.expiresAt <= t) {
      this.cells.delete(key);
      return undefined;
    }
    return c;
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = t;
    for (const [k, c] of this.cells) if (c.expiresAt !== NEVER && c.expiresAt <= t) this.cells.delete(k);
    for (const [k, b] of this.buckets) {
      const full = b.tokens + (Math.max(0, t - b.at) * b.spec.refillPerSecond) / 1000 >= b.spec.capacity;
      if (full) this.buckets.delete(k);
    }
  }

  private cell(key: string, expiresAt: number, t: number): Cell {
    let c = this.live(key, t);
    if (!c) {
      c = { value: 0, expiresAt };
      this.cells.set(key, c);
    }
    return c;
  }

  incrBy(key: string, amount: number, expiresAt: number): number {
    const t = this.now();
    this.sweep(t);
    const c = this.cell(key, expiresAt, t);
    c.value += amount;
    return c.value;
  }

  incrByIfWithin(key: string, amount: number, limit: number, expiresAt: number): { applied: boolean; value: number } {
    const t = this.now();
    const c = this.live(key, t);
    const value = c?.value ?? 0;
    if (value + amount > limit) return { applied: false, value };
    return { applied: true, value: this.incrBy(key, amount, expiresAt) };
  }

  take(key: string, cost: number, spec: BucketSpec, now: number, force = false): BucketTake {
    const prev = this.buckets.get(key);
    const { bucket, result } = takeFromBucket(prev, cost, spec, now, force);
    if (prev) {
      prev.tokens = bucket.tokens;
      prev.at = bucket.at;
      prev.spec = spec;
    } else if (bucket.tokens < spec.capacity) {
      this.buckets.set(key, { tokens: bucket.tokens, at: bucket.at, spec });
    }
    this.sweep(this.now());
    return result;
  }

  get(key: string): number {
    return this.live(key, this.now())?.value ?? 0;
  }

  async scan(prefix: string): Promise<StoreEntry[]> {
    const t = this.now();
    const out: StoreEntry[] = [];
    for (const key of [...this.cells.keys()]) {
      if (!key.startsWith(prefix)) continue;
      const c = this.live(key, t);
      if (c) out.push({ key, value: c.value, expiresAt: c.expiresAt });
    }
    return out;
  }

  async close(): Promise<void> {
    this.cells.clear();
    this.buckets.clear();
  }
}
