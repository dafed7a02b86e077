/**
 * Nearest-neighbour search over unit vectors by cosine similarity: an HNSW graph from hnswlib
 * (hnswlib-node) for the gateway, and an exact brute-force scan as the baseline the bench
 * measures it against. Labels are small integers the caller hands out and may reuse.
 */
import hnswlib from 'hnswlib-node';

export interface Neighbour {
  readonly label: number;
  readonly similarity: number;
}

export interface VectorIndex {
  add(vector: Float32Array, label: number): void;
  remove(label: number): void;
  /** up to `k` nearest live vectors, most similar first */
  search(vector: Float32Array, k: number): Neighbour[];
  readonly size: number;
}

export interface HnswOptions {
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  /** the index never holds more than this many vectors (the caller evicts first) */
  readonly maxEntries: number;
}

const INITIAL_CAPACITY = 1024;

/**
 * hnswlib's HNSW index in its inner-product space over unit vectors (cosine similarity = 1 − distance).
 * Vectors are scaled to unit length here, into one reused array (hnswlib-node takes a plain Array),
 * so a lookup allocates no vector. Grows by doubling up to maxEntries; deleted slots are reused.
 */
export class HnswIndex implements VectorIndex {
  private readonly index: hnswlib.HierarchicalNSW;
  private capacity: number;
  private readonly live = new Set<number>();
  private deleted = 0;
  private readonly scratch: number[];

  constructor(
    readonly dimensions: number,
    private readonly opts: HnswOptions,
    loaded?: hnswlib.HierarchicalNSW,
  ) {
    this.scratch = new Array<number>(dimensions).fill(0);
    if (loaded) {
      this.index = loaded;
      this.capacity = loaded.getMaxElements();
      for (const label of loaded.getIdsList()) this.live.add(label);
    } else {
      this.index = new hnswlib.HierarchicalNSW('ip', dimensions);
      this.capacity = Math.min(INITIAL_CAPACITY, opts.maxEntries);
      const { m, efConstruction } = opts;
      this.index.initIndex({ maxElements: this.capacity, m, efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    }
    this.index.setEf(opts.efSearch);
  }

  /** An index written by `save` (the bench reuses its 100,000-entry builds this way). */
  static load(file: string, dimensions: number, opts: HnswOptions): HnswIndex {
    const index = new hnswlib.HierarchicalNSW('ip', dimensions);
    index.readIndexSync(file, true);
    return new HnswIndex(dimensions, opts, index);
  }

  save(file: string): void {
    this.index.writeIndexSync(file);
  }

  get size(): number {
    return this.live.size;
  }

  /** search breadth (hnswlib's ef) from now on */
  setEfSearch(ef: number): void {
    this.index.setEf(ef);
  }

  add(vector: Float32Array, label: number): void {
    if (vector.length !== this.dimensions) throw new RangeError(`vector of ${vector.length} dimensions for an index of ${this.dimensions}`);
    if (this.live.has(label)) this.remove(label);
    const point = this.unitInScratch(vector);
    if (this.deleted > 0) {
      this.index.addPoint(point, label, true);
      this.deleted -= 1;
    } else {
      if (this.index.getCurrentCount() >= this.capacity) {
        this.capacity = Math.min(this.capacity * 2, Math.max(this.opts.maxEntries, this.capacity + 1));
        this.index.resizeIndex(this.capacity);
      }
      this.index.addPoint(point, label);
    }
    this.live.add(label);
  }

  remove(label: number): void {
    if (!this.live.delete(label)) return;
    this.index.markDelete(label);
    this.deleted += 1;
  }

  search(vector: Float32Array, k: number): Neighbour[] {
    const n = Math.min(k, this.live.size);
    if (n === 0) return [];
    if (vector.length !== this.dimensions) throw new RangeError(`vector of ${vector.length} dimensions for an index of ${this.dimensions}`);
    const r = this.index.searchKnn(this.unitInScratch(vector), n);
    return r.neighbors.map((label, i) => ({ label, similarity: 1 - (r.distances[i] ?? 1) }));
  }

  private unitInScratch(v: Float32Array): number[] {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
    const k = 1 / (Math.sqrt(s) || 1);
    const out = this.scratch;
    for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * k;
    return out;
  }
}

/** Exact search: every vector compared (the baseline; fine for a few thousand entries). */
export class BruteForceIndex implements VectorIndex {
  private readonly vectors = new Map<number, Float32Array>();

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.vectors.size;
  }

  add(vector: Float32Array, label: number): void {
    this.vectors.set(label, unit(vector));
  }

  remove(label: number): void {
    this.vectors.delete(label);
  }

  search(vector: Float32Array, k: number): Neighbour[] {
    const q = unit(vector);
    const best: Neighbour[] = [];
    for (const [label, v] of this.vectors) {
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += (q[i] as number) * (v[i] as number);
      if (best.length < k || dot > (best[best.length - 1] as Neighbour).similarity) {
        best.push({ label, similarity: dot });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > k) best.pop();
      }
    }
    return best;
  }
}

/** The vector scaled to length 1 (a copy). */
export function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  const n = Math.sqrt(s) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / n;
  return out;
}
