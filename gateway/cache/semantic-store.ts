/**
 * The semantic cache's entries, in process (one store per gateway instance; entries are not
 * shared between instances): one HNSW index per partition (route, output parameters, earlier
 * turns, tenant and scope), entries with their vectors, expiry checked on every match and the
 * oldest entry of a partition evicted when it is full.
 */
import { BoundedMap } from '../../core/bounded-map.js';
import type { CacheEntry } from './entry.js';
import { HnswIndex, type HnswOptions, type VectorIndex } from './vector-index.js';

export interface SemanticMatch {
  readonly entry: CacheEntry;
  readonly similarity: number;
}

interface Partition {
  readonly index: VectorIndex;
  /** oldest first (evicted at maxEntries) */
  readonly entries: BoundedMap<number, CacheEntry>;
  nextLabel: number;
  readonly free: number[];
}

/** Neighbours looked at per lookup: expired or over-cap entries are passed over for the next. */
const NEIGHBOURS = 4;

export class SemanticStore {
  private readonly partitions = new Map<string, Partition>();
  private count = 0;

  constructor(
    private readonly opts: HnswOptions,
    private readonly makeIndex: (dimensions: number) => VectorIndex = (d) => new HnswIndex(d, opts),
  ) {}

  get size(): number {
    return this.count;
  }

  /** The most similar live entry at or above `threshold` that `accept` takes. */
  find(partition: string, vector: Float32Array, threshold: number, now: number, accept: (e: CacheEntry) => boolean): SemanticMatch | undefined {
    const p = this.partitions.get(partition);
    if (!p) return undefined;
    for (const n of p.index.search(vector, NEIGHBOURS)) {
      if (n.similarity < threshold) return undefined;
      const entry = p.entries.get(n.label);
      if (!entry) continue;
      if (entry.expiresAt <= now) {
        this.drop(p, n.label);
        continue;
      }
      if (accept(entry)) return { entry, similarity: n.similarity };
    }
    return undefined;
  }

  add(partition: string, vector: Float32Array, entry: CacheEntry): void {
    let p = this.partitions.get(partition);
    if (!p) {
      p = { index: this.makeIndex(vector.length), entries: new BoundedMap(), nextLabel: 0, free: [] };
      this.partitions.set(partition, p);
    }
    if (p.entries.size >= this.opts.maxEntries) {
      const oldest = p.entries.shift();
      if (oldest !== undefined) this.forget(p, oldest);
    }
    const label = p.free.pop() ?? p.nextLabel++;
    p.index.add(vector, label);
    p.entries.set(label, entry);
    this.count += 1;
  }

  private drop(p: Partition, label: number): void {
    if (p.entries.delete(label)) this.forget(p, label);
  }

  /** Free an entry's label and graph node (its entry already gone). */
  private forget(p: Partition, label: number): void {
    p.index.remove(label);
    p.free.push(label);
    this.count -= 1;
  }
}
