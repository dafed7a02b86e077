import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { BruteForceIndex, HnswIndex, unit } from './vector-index.js';

function randomVector(rng: Rng, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = rng.uniform() * 2 - 1;
  return unit(v);
}

describe('vector indexes', () => {
  it('HNSW finds what the brute-force scan finds, grows past its first capacity, and forgets removed labels', () => {
    const rng = new Rng(7);
    const dims = 64;
    const hnsw = new HnswIndex(dims, { m: 16, efConstruction: 200, efSearch: 64, maxEntries: 5000 });
    const brute = new BruteForceIndex(dims);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = randomVector(rng, dims);
      vectors.push(v);
      hnsw.add(v, i);
      brute.add(v, i);
    }
    expect(hnsw.size).toBe(3000);
    let agree = 0;
    for (let q = 0; q < 100; q++) {
      const query = vectors[q * 7] as Float32Array;
      const a = hnsw.search(query, 1)[0];
      const b = brute.search(query, 1)[0];
      if (a?.label === b?.label) agree += 1;
      expect(a?.similarity).toBeCloseTo(1, 4);
    }
    expect(agree).toBeGreaterThanOrEqual(99);
    hnsw.remove(0);
    expect(hnsw.search(vectors[0] as Float32Array, 1)[0]?.label).not.toBe(0);
    hnsw.add(vectors[0] as Float32Array, 0);
    expect(hnsw.search(vectors[0] as Float32Array, 1)[0]?.label).toBe(0);
  });

  it('rejects a vector of the wrong size', () => {
    const hnsw = new HnswIndex(8, { m: 8, efConstruction: 32, efSearch: 16, maxEntries: 10 });
    expect(() => hnsw.add(new Float32Array(4), 0)).toThrow(/4 dimensions for an index of 8/);
  });
});
