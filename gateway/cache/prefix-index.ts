/**
 * An HNSW graph over the first `graphDimensions` components of each vector, its candidates
 * re-scored with the full vectors. Embeddings trained Matryoshka-style (text-embedding-3, whose
 * `dimensions` parameter returns exactly such a prefix) keep their neighbourhoods in a prefix, so
 * the graph walk — most of a lookup's cost, one distance per visited node — reads a third of the
 * memory at 512 of 1,536 dimensions, while the similarity the cache compares with its threshold
 * stays the full vectors' exact cosine. The full vectors are kept here (4 bytes per dimension).
 */
import { HnswIndex, type HnswOptions, type Neighbour, unit, type VectorIndex } from './vector-index.js';

/** candidates taken from the graph per lookup, at least (each re-scored: one full dot product) */
const CANDIDATES = 8;

export class PrefixRerankIndex implements VectorIndex {
  private readonly full = new Map<number, Float32Array>();
  private readonly graph: HnswIndex;

  constructor(
    readonly dimensions: number,
    readonly graphDimensions: number,
    opts: HnswOptions,
    graph?: HnswIndex,
  ) {
    if (graphDimensions >= dimensions) throw new RangeError(`a prefix of ${graphDimensions} of ${dimensions} dimensions`);
    this.graph = graph ?? new HnswIndex(graphDimensions, opts);
  }

  get size(): number {
    return this.full.size;
  }

  /** The full vectors kept beside a graph built (or read) elsewhere: the bench reuses its graphs. */
  static over(graph: HnswIndex, dimensions: number, vectors: Iterable<[number, Float32Array]>, opts: HnswOptions): PrefixRerankIndex {
    const idx = new PrefixRerankIndex(dimensions, graph.dimensions, opts, graph);
    for (const [label, v] of vectors) idx.full.set(label, unit(v));
    return idx;
  }

  add(vector: Float32Array, label: number): void {
    if (vector.length !== this.dimensions) throw new RangeError(`vector of ${vector.length} dimensions for an index of ${this.dimensions}`);
    const v = unit(vector);
    this.graph.add(v.subarray(0, this.graphDimensions), label);
    this.full.set(label, v);
  }

  remove(label: number): void {
    if (!this.full.delete(label)) return;
    this.graph.remove(label);
  }

  search(vector: Float32Array, k: number): Neighbour[] {
    if (vector.length !== this.dimensions) throw new RangeError(`vector of ${vector.length} dimensions for an index of ${this.dimensions}`);
    const q = unit(vector);
    const out: Neighbour[] = [];
    for (const c of this.graph.search(q.subarray(0, this.graphDimensions), Math.max(k, CANDIDATES))) {
      const v = this.full.get(c.label);
      if (!v) continue;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += (q[i] as number) * (v[i] as number);
      out.push({ label: c.label, similarity: dot });
    }
    return out.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }
}
