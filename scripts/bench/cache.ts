/**
 * `npm run bench:cache`: the semantic cache's index and its threshold, measured.
 *
 *   1. hit rate and false-hit rate at thresholds 0.80–0.98 on the shipped paraphrase families
 *      (scenarios/data/prompt-families.json, intent labels): the first wording of every family is
 *      cached, every other wording is looked up among the families sharing its system prompt (the
 *      gateway's partition); a hit on another family's entry is a false hit. Shown for every
 *      prompt and for the prompts the gateway looks up (≤ maxQueryTokens; longer ones skip);
 *   2. lookup latency (p50/p99) at 10,000 and 100,000 entries of 1,536-dimension vectors, with
 *      the gateway's HNSW index (hnswlib-node, the config's default M / efConstruction / efSearch)
 *      beside a brute-force scan of the same vectors (the exact baseline), the recall of HNSW's
 *      nearest neighbour against it, the build time and the memory the index takes.
 *
 * Vectors are the fleet's own embeddings (mock-providers/embeddings, the function its endpoint
 * serves), of the families' texts and of texts recombined from their words. The machine may be
 * shared: the brute-force column is the yardstick measured in the same run.
 * Env: BENCH_CACHE_SIZES (default "10000,100000"), BENCH_CACHE_QUERIES (default 2000), BENCH_CACHE_DIMS
 * (default 1536).
 */
import { availableParallelism, loadavg } from 'node:os';
import { CacheConfigSchema } from '../../gateway/cache/config.js';
import { BruteForceIndex, HnswIndex, type VectorIndex } from '../../gateway/cache/vector-index.js';
import { embed } from '../../mock-providers/embeddings/embed.js';
import { familyUserText, PROMPT_FAMILIES } from '../../scenarios/families.js';
import { Rng } from '../../core/random.js';
import { estimateTokens } from '../../core/tokens.js';

/** the fleet's text-embedding-3-small; fewer (BENCH_CACHE_DIMS) are the same vectors' prefixes, as `semantic.dimensions` asks */
const DIMS = Number(process.env.BENCH_CACHE_DIMS ?? 1536);
const MODEL = 'text-embedding-3-small';
const SIZES = (process.env.BENCH_CACHE_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_CACHE_QUERIES ?? 2000);
const BRUTE_QUERIES = 50;
const RECALL_QUERIES = 200;
const sem = CacheConfigSchema.parse({ semantic: { embeddings: MODEL }, routes: {} }).semantic!;

const vec = (text: string) => embed(text, MODEL, DIMS, 1536) as Float32Array;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(3)} ms`;
const load = () => `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

function words(): string[] {
  const all = PROMPT_FAMILIES.families.flatMap((f) => f.paraphrases.join(' ').toLowerCase().replace(/[^a-z ]/g, ' ').split(/\s+/));
  return [...new Set(all.filter((w) => w.length > 0))];
}

/** `n` short texts recombined from the families' words, and a one-word edit of each (its "paraphrase"). */
function corpus(n: number, rng: Rng): { texts: string[][] } {
  const vocab = words();
  const texts: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = 6 + Math.floor(rng.uniform() * 8);
    texts.push(Array.from({ length: k }, () => vocab[Math.floor(rng.uniform() * vocab.length)] as string));
  }
  return { texts };
}

function edited(t: string[], rng: Rng): string {
  const vocab = words();
  const out = [...t];
  out[Math.floor(rng.uniform() * out.length)] = vocab[Math.floor(rng.uniform() * vocab.length)] as string;
  return out.join(' ');
}

/** Wall-clock latency of each lookup (sorted), and the CPU time per lookup over the batch (ms). */
function timeQueries(index: VectorIndex, queries: Float32Array[]): { lat: number[]; cpuMs: number } {
  const lat: number[] = [];
  const cpu = process.cpuUsage();
  for (const q of queries) {
    const t = performance.now();
    index.search(q, 4);
    lat.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return { lat: lat.sort((a, b) => a - b), cpuMs: (used.user + used.system) / 1000 / queries.length };
}

function latency(): void {
  console.log(`\n2. semantic lookup, ${DIMS}-dimension vectors (HNSW M=${sem.m}, efConstruction=${sem.efConstruction}, efSearch=${sem.efSearch}; k=4)`);
  for (const n of SIZES) {
    const rng = new Rng(11 + n);
    const { texts } = corpus(n, rng);
    const vectors = texts.map((t) => vec(t.join(' ')));
    const queries = Array.from({ length: QUERIES }, (_, i) => vec(edited(texts[(i * 7919) % n] as string[], rng)));
    global.gc?.();
    const before = process.memoryUsage().rss;
    const hnsw = new HnswIndex(DIMS, { m: sem.m, efConstruction: sem.efConstruction, efSearch: sem.efSearch, maxEntries: n });
    const t = performance.now();
    const cpu = process.cpuUsage();
    vectors.forEach((v, i) => hnsw.add(v, i));
    const buildS = (performance.now() - t) / 1000;
    const insertCpu = process.cpuUsage(cpu);
    const insertMs = (insertCpu.user + insertCpu.system) / 1000 / n;
    const indexBytes = process.memoryUsage().rss - before;
    const brute = new BruteForceIndex(DIMS);
    vectors.forEach((v, i) => brute.add(v, i));
    const { lat: h, cpuMs: hCpu } = timeQueries(hnsw, queries);
    const { lat: b, cpuMs: bCpu } = timeQueries(brute, queries.slice(0, BRUTE_QUERIES));
    let agree = 0;
    for (const q of queries.slice(0, RECALL_QUERIES)) if (hnsw.search(q, 1)[0]?.label === brute.search(q, 1)[0]?.label) agree += 1;
    const goal = n >= 100_000 ? (pct(h, 0.99) <= 1 ? ' (goal ≤ 1 ms: met)' : ' (goal ≤ 1 ms: NOT met)') : '';
    console.log(`  ${n.toLocaleString('en')} entries (${load()}): HNSW p50 ${ms(pct(h, 0.5))} · p99 ${ms(pct(h, 0.99))}${goal} · brute force p50 ${ms(pct(b, 0.5))}`);
    console.log(`    CPU per lookup: HNSW ${ms(hCpu)} · brute force ${ms(bCpu)} (${(bCpu / hCpu).toFixed(0)}×) · recall@1 vs brute force ${((100 * agree) / RECALL_QUERIES).toFixed(1)} %`);
    console.log(`    build ${buildS.toFixed(1)} s (CPU ${ms(insertMs)} per insert, i.e. per cache write)`);
    console.log(`    memory: HNSW ${mb(indexBytes)} (${Math.round(indexBytes / n).toLocaleString('en')} B/entry; raw float32 ${Math.round((DIMS * 4) / 1024)} KiB/entry)`);
  }
}

function thresholds(): void {
  const fams = PROMPT_FAMILIES.families;
  console.log(`\n1. hit and false-hit rates on the shipped paraphrase families (${fams.length} families; first wording cached, the others asked)`);
  const rows: Array<{ long: boolean; query: Float32Array; intent: string; partition: string }> = [];
  const parts = new Map<string, { index: BruteForceIndex; intents: string[] }>();
  for (const f of fams) {
    const partition = f.system ?? '';
    let p = parts.get(partition);
    if (!p) parts.set(partition, (p = { index: new BruteForceIndex(DIMS), intents: [] }));
    p.index.add(vec(familyUserText(f, 0)), p.intents.length);
    p.intents.push(f.intent);
    for (let i = 1; i < f.paraphrases.length; i++) {
      const text = familyUserText(f, i);
      rows.push({ long: estimateTokens(text) > sem.maxQueryTokens, query: vec(text), intent: f.intent, partition });
    }
  }
  const best = rows.map((r) => {
    const p = parts.get(r.partition)!;
    const n = p.index.search(r.query, 1)[0];
    return { ...r, sim: n?.similarity ?? 0, matched: n ? p.intents[n.label] : undefined };
  });
  const short = best.filter((r) => !r.long);
  console.log(`  threshold │ all ${best.length} asks: hit rate · false-hit rate │ ${short.length} asks ≤ ${sem.maxQueryTokens} tokens (the gateway's): hit rate · false-hit rate`);
  for (let t = 0.8; t <= 0.981; t += 0.02) {
    const cell = (set: typeof best) => {
      const hits = set.filter((r) => r.sim >= t);
      const wrong = hits.filter((r) => r.matched !== r.intent).length;
      return `${((100 * hits.length) / set.length).toFixed(1).padStart(5)} % · ${hits.length ? ((100 * wrong) / hits.length).toFixed(1).padStart(5) : '    —'} %`;
    };
    console.log(`    ${t.toFixed(2)}    │ ${cell(best).padEnd(32)}│ ${cell(short)}`);
  }
  console.log(`  (the gateway's default threshold is ${sem.threshold}; a false hit answers one intent with another's cached answer)`);
}

thresholds();
latency();
