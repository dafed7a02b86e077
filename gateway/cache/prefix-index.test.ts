import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { PrefixRerankIndex } from './prefix-index.js';
import { BruteForceIndex, HnswIndex, unit } from './vector-index.js';

/** Vectors whose leading components carry most of their length, as Matryoshka-trained embeddings do. */
function matryoshka(rng: Rng, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = (rng.uniform() * 2 - 1) * (i < dims / 4 ? 1 : 0.3);
  return unit(v);
}

const opts = { m: 16, efConstruction: 100, efSearch: 64, maxEntries: 4000 };

describe('prefix graph with full-vector re-scoring', () => {
  it('finds what the exact scan finds, and answers the full vectors\' cosine, not the prefix\'s', () => {
    const rng = new Rng(3);
    const dims = 128;
    const idx = new PrefixRerankIndex(dims, 32, opts);
    const brute = new BruteForceIndex(dims);
    const vectors = Array.from({ length: 2000 }, () => matryoshka(rng, dims));
    vectors.forEach((v, i) => {
      idx.add(v, i);
      brute.add(v, i);
    });
    let agree = 0;
    for (let q = 0; q < 100; q++) {
      const query = matryoshka(rng, dims).map((x, i) => 0.3 * x + (vectors[q * 13] as Float32Array)[i]!);
      const a = idx.search(query, 1)[0];
      const b = brute.search(query, 1)[0];
      if (a?.label === b?.label) {
        agree += 1;
        expect(a?.similarity).toBeCloseTo(b?.similarity as number, 5);
      }
    }
    expect(agree).toBeGreaterThanOrEqual(97);
    expect(idx.size).toBe(2000);
    idx.remove(7);
    expect(idx.search(vectors[7] as Float32Array, 1)[0]?.label).not.toBe(7);
    expect(idx.size).toBe(1999);
  });

  it('rejects a vector of the wrong size, and a prefix no shorter than the vector', () => {
    const idx = new PrefixRerankIndex(64, 16, opts);
    expect(() => idx.add(new Float32Array(16), 0)).toThrow(/16 dimensions for an index of 64/);
    expect(() => new PrefixRerankIndex(64, 64, opts)).toThrow(/prefix of 64 of 64/);
  });
});

describe('HNSW index written and read back', () => {
  it('answers the same neighbours after save and load', () => {
    const rng = new Rng(5);
    const dir = mkdtempSync(join(tmpdir(), 'hnsw-'));
    try {
      const a = new HnswIndex(32, opts);
      const vectors = Array.from({ length: 500 }, () => matryoshka(rng, 32));
      vectors.forEach((v, i) => a.add(v, i + 10));
      a.save(join(dir, 'i.bin'));
      const b = HnswIndex.load(join(dir, 'i.bin'), 32, opts);
      expect(b.size).toBe(500);
      for (const q of vectors.slice(0, 20)) expect(b.search(q, 3)).toEqual(a.search(q, 3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
