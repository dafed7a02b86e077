/**
 * The semantic index's configurations compared at one size (`npm run bench:cache`, part 2): each
 * HNSW graph (dimensions × M, efConstruction from the config) is built once, written to
 * runs/bench-cache/ with hnswlib's writeIndex and read back on later runs; every efSearch is then
 * measured on the same graph. Per row: lookup p50/p99 (the gateway's HnswIndex.search, one
 * lookup after another), recall@1 against an exact scan of the same vectors and against the exact
 * 1,536-dimension neighbour, how often the cache's decision at the default threshold (hit or miss,
 * and which entry) differs from the exact one, the index's size and its build time.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { HnswIndex } from '../../gateway/cache/vector-index.js';

export interface Graph {
  readonly dims: number;
  readonly m: number;
}

export interface Corpus {
  /** entries and queries at the model's full dimensions (unit vectors) */
  readonly vectors: Float32Array[];
  readonly queries: Float32Array[];
  readonly fullDims: number;
}

export interface Row {
  readonly label: string;
  readonly p50: number;
  readonly p99: number;
  /** CPU time of one lookup (free of the time the process waited for a core) */
  readonly cpuP50: number;
  readonly cpuP99: number;
  /** searchKnn alone (the query already an Array), CPU time */
  readonly rawCpuP99: number;
  readonly recall: number;
  readonly recallFull: number;
  readonly decisionsChanged: number;
  readonly bytes: number;
  readonly buildS: number;
}

const DIR = 'runs/bench-cache';
export const RECALL_QUERIES = 200;

export const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** The first `d` components scaled back to unit length (what the embeddings API's `dimensions` returns). */
export function prefix(v: Float32Array, d: number): Float32Array {
  if (d === v.length) return v;
  let s = 0;
  for (let i = 0; i < d; i++) s += (v[i] as number) ** 2;
  const k = 1 / (Math.sqrt(s) || 1);
  const out = new Float32Array(d);
  for (let i = 0; i < d; i++) out[i] = (v[i] as number) * k;
  return out;
}

/** Vectors made by `make` once, kept in runs/bench-cache/ (embedding 100,000 texts takes a minute or two). */
export function keptVectors(key: string, count: number, dims: number, make: () => Float32Array[]): Float32Array[] {
  const file = join(DIR, `vectors-${key}.f32`);
  if (existsSync(file) && statSync(file).size === count * dims * 4) {
    const buf = readFileSync(file);
    const all = new Float32Array(buf.buffer, buf.byteOffset, count * dims);
    return Array.from({ length: count }, (_, i) => all.subarray(i * dims, (i + 1) * dims));
  }
  const out = make();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(file, Buffer.concat(out.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
  return out;
}

type Exact = { label: number; sim: number; ms: number };

/** exactTop1, kept in runs/bench-cache/ under `key` (the corpus is deterministic: its size and dimensions name it). */
export function exactTop1Kept(key: string, vectors: Float32Array[], queries: Float32Array[]): Exact[] {
  const file = join(DIR, `exact-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Exact[];
  const out = exactTop1(vectors, queries);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(out));
  return out;
}

/** Exact nearest entry and its similarity for each query: a flat scan (the yardstick). */
export function exactTop1(vectors: Float32Array[], queries: Float32Array[]): Exact[] {
  const d = vectors[0]?.length ?? 0;
  const flat = new Float32Array(vectors.length * d);
  vectors.forEach((v, i) => flat.set(v, i * d));
  return queries.map((q) => {
    const t = performance.now();
    let best = -2;
    let label = -1;
    for (let j = 0, o = 0; j < vectors.length; j++, o += d) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += (q[i] as number) * (flat[o + i] as number);
      if (dot > best) [best, label] = [dot, j];
    }
    return { label, sim: best, ms: performance.now() - t };
  });
}

/** The graph built (and written) once, or read back from an earlier run. */
export function graphIndex(g: Graph, corpus: Corpus, efConstruction: number): { index: HnswIndex; file: string; buildS: number } {
  const n = corpus.vectors.length;
  const file = join(DIR, `hnsw-${n}-${g.dims}d-m${g.m}-efc${efConstruction}.bin`);
  const meta = `${file}.json`;
  const opts = { m: g.m, efConstruction, efSearch: 64, maxEntries: n };
  if (existsSync(file) && existsSync(meta)) {
    const { buildS } = JSON.parse(readFileSync(meta, 'utf8')) as { buildS: number };
    return { index: HnswIndex.load(file, g.dims, opts), file, buildS };
  }
  const index = new HnswIndex(g.dims, opts);
  const t = performance.now();
  corpus.vectors.forEach((v, i) => index.add(prefix(v, g.dims), i));
  const buildS = (performance.now() - t) / 1000;
  mkdirSync(DIR, { recursive: true });
  index.save(file);
  writeFileSync(meta, JSON.stringify({ buildS }));
  return { index, file, buildS };
}

export interface RowInput {
  readonly label: string;
  readonly search: (q: Float32Array) => { label: number; similarity: number } | undefined;
  readonly raw: (q: number[]) => void;
  readonly queries: Float32Array[];
  readonly exact: { label: number; sim: number }[];
  readonly exactFull: { label: number; sim: number }[];
  readonly threshold: number;
  readonly bytes: number;
  readonly buildS: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall-clock and CPU milliseconds of each call (sorted). */
export function timeEach<T>(items: T[], fn: (x: T) => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const x of items) {
    const c = cpuNow();
    const t = performance.now();
    fn(x);
    wall.push(performance.now() - t);
    cpu.push(cpuNow() - c);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

export function measure(r: RowInput): Row {
  const lat = timeEach(r.queries, r.search);
  const raw = timeEach(r.queries.map((q) => Array.from(q)), r.raw).cpu;
  let agree = 0;
  let agreeFull = 0;
  let changed = 0;
  r.exact.forEach((e, i) => {
    const got = r.search(r.queries[i] as Float32Array);
    if (got?.label === e.label) agree += 1;
    if (got?.label === r.exactFull[i]?.label) agreeFull += 1;
    const full = r.exactFull[i] as { label: number; sim: number };
    const want = full.sim >= r.threshold ? full.label : -1;
    const have = got && got.similarity >= r.threshold ? got.label : -1;
    if (want !== have) changed += 1;
  });
  const n = r.exact.length;
  return {
    label: r.label,
    p50: pct(lat.wall, 0.5),
    p99: pct(lat.wall, 0.99),
    cpuP50: pct(lat.cpu, 0.5),
    cpuP99: pct(lat.cpu, 0.99),
    rawCpuP99: pct(raw, 0.99),
    recall: agree / n,
    recallFull: agreeFull / n,
    decisionsChanged: changed / n,
    bytes: r.bytes,
    buildS: r.buildS,
  };
}

/** The same graph read back in hnswlib's 'cosine' space and asked the way the gateway asked before (a fresh Array per lookup). */
export function cosineSpace(file: string, dims: number, ef: number): (q: Float32Array) => { label: number; similarity: number } | undefined {
  const idx = new hnswlib.HierarchicalNSW('cosine', dims);
  idx.readIndexSync(file, true);
  idx.setEf(ef);
  return (q) => {
    const r = idx.searchKnn(Array.from(q), 4);
    return r.neighbors.length ? { label: r.neighbors[0] as number, similarity: 1 - (r.distances[0] as number) } : undefined;
  };
}

export const fileBytes = (file: string) => statSync(file).size;

const f3 = (x: number) => x.toFixed(3).padStart(6);
const pc = (x: number) => `${(100 * x).toFixed(1).padStart(5)} %`;

export function table(rows: Row[]): string {
  const head = [
    '  configuration                          │    wall time    │    CPU time     │ searchKnn │ recall@1 │ recall@1  │ decisions │ index   │ build',
    '                                         │ p50 ms │ p99 ms │ p50 ms │ p99 ms │ CPU p99   │          │ vs 1536-d │ changed   │         │',
  ];
  const lines = rows.map((r) =>
    [
      `  ${r.label.padEnd(39)}`,
      ` ${f3(r.p50)} `,
      ` ${f3(r.p99)} `,
      ` ${f3(r.cpuP50)} `,
      ` ${f3(r.cpuP99)} `,
      ` ${f3(r.rawCpuP99).padStart(9)} `,
      ` ${pc(r.recall).padStart(8)} `,
      ` ${pc(r.recallFull).padStart(9)} `,
      ` ${pc(r.decisionsChanged).padStart(9)} `,
      ` ${`${(r.bytes / 1024 / 1024).toFixed(0)} MB`.padStart(7)} `,
      ` ${r.buildS.toFixed(0)} s`,
    ].join('│'),
  );
  return [...head, ...lines].join('\n');
}

/** A fixed piece of work (a 1,536-d dot product with `count` vectors), timed like a lookup: its tail is the machine's. */
export function yardstick(vectors: Float32Array[], queries: Float32Array[], count: number): { wall: number[]; cpu: number[] } {
  const some = vectors.slice(0, count);
  return timeEach(queries, (q) => {
    let s = 0;
    for (const v of some) for (let i = 0; i < v.length; i++) s += (q[i] as number) * (v[i] as number);
    if (s === Infinity) throw new Error('unreachable');
  });
}
