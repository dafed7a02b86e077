import { HnswIndex } from './gateway/cache/vector-index.js';
import { embed } from './mock-providers/embeddings/embed.js';
import { PROMPT_FAMILIES } from './scenarios/families.js';
import { Rng } from './core/random.js';
const words = [...new Set(PROMPT_FAMILIES.families.flatMap((f) => f.paraphrases.join(' ').toLowerCase().replace(/[^a-z ]/g, ' ').split(/\s+/)).filter(Boolean))];
console.log('vocab', words.length);
const rng = new Rng(1);
const d = 1536, n = Number(process.argv[2] ?? 10000), efc = Number(process.argv[3] ?? 100);
let t = performance.now();
const vs: Float32Array[] = [];
for (let i = 0; i < n; i++) {
  const k = 5 + Math.floor(rng.uniform() * 8);
  const text = Array.from({ length: k }, () => words[Math.floor(rng.uniform() * words.length)]).join(' ');
  vs.push(embed(text, 'text-embedding-3-small', d, d) as Float32Array);
}
console.log('embed per text ms', (performance.now() - t) / n); t = performance.now();
const idx = new HnswIndex(d, { m: 16, efConstruction: efc, efSearch: 64, maxEntries: 200000 });
for (let i = 0; i < n; i++) idx.add(vs[i]!, i);
console.log('build s', (performance.now() - t) / 1000); t = performance.now();
const lat: number[] = [];
for (let i = 0; i < 2000; i++) { const s = performance.now(); idx.search(vs[(i * 13) % n]!, 4); lat.push(performance.now() - s); }
lat.sort((a, b) => a - b);
console.log('p50', lat[1000], 'p99', lat[1980]);
t = performance.now(); for (let i = 0; i < 1000; i++) Array.from(vs[i]!); console.log('Array.from us', (performance.now() - t));
