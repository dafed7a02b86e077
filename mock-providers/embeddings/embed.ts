/**
 * Deterministic text embeddings good enough to exercise a semantic cache. A text is read into
 * three bags, each a sum of fixed pseudo-random unit vectors (one per feature, seeded by the
 * model and the feature):
 *
 *   topic    — the concepts it names: stopwords dropped, synonyms folded to one concept, crude
 *              stemming ("lamps" → "lamp" → light); polar words give their concept ("off" → power)
 *   polarity — ±1 per polar concept ("on" +, "off" −; "enable" +, "disable" −), flipped by a
 *              negator a few words before ("do not turn on" = "turn off"); a negator with no polar
 *              word after it marks the whole text negated
 *   surface  — every raw word, stopwords included (keeps paraphrases close but not identical)
 *
 * vector = unit(unit(topic) + 1.0 · unit(polarity) + 0.3 · unit(surface)). Paraphrases share topic
 * and polarity (cosine ≈ 0.95–1); opposite polarity over the same topic cancels the polarity part
 * (cosine ≈ 0, "turn on the lights" vs "turn off the lights"); other topics share little. Vectors
 * of fewer dimensions are prefixes of the model's full one, renormalised (as text-embedding-3 `dimensions`).
 */
import { hash32, Rng } from '../../core/random.js';
import { CONCEPT, CONTRACTIONS, NEGATION_WINDOW, NEGATORS, PARTICLE_VERBS, PARTICLES, POLARITY, STOPWORDS, type PolarWord } from './lexicon.js';

export const POLARITY_WEIGHT = 1.0;
export const SURFACE_WEIGHT = 0.3;

export interface TextFeatures {
  topic: Set<string>;
  /** concept → summed sign (zero sums dropped) */
  polarity: Map<string, number>;
  surface: Set<string>;
}

type Word = { kind: 'stop' } | { kind: 'concept'; concept: string } | { kind: 'polar'; polar: PolarWord };

function classify(w: string): Word | undefined {
  const polar = POLARITY.get(w);
  if (polar) return { kind: 'polar', polar };
  if (STOPWORDS.has(w)) return { kind: 'stop' };
  const concept = CONCEPT.get(w);
  return concept ? { kind: 'concept', concept } : undefined;
}

/** Fold plurals and -ing/-ed forms until a lexicon entry matches, else a crude stem. */
function lookup(w: string): Word {
  const direct = classify(w);
  if (direct) return direct;
  const candidates = [w.replace(/ies$/, 'y'), w.replace(/es$/, ''), w.replace(/s$/, ''), w.replace(/ing$/, ''), w.replace(/ing$/, 'e'), w.replace(/ed$/, ''), w.replace(/ed$/, 'e')];
  for (const c of candidates) {
    if (c === w || c.length < 2) continue;
    const hit = classify(c);
    if (hit) return hit;
  }
  return { kind: 'concept', concept: w.length > 3 ? w.replace(/(ies|es|s)$/, '') : w };
}

export function tokenize(text: string): string[] {
  let s = text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  return s
    .replace(/[^a-z0-9'\- ]+/g, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^['-]+|['-]+$/g, ''))
    .filter(Boolean);
}

export function features(text: string): TextFeatures {
  const tokens = tokenize(text);
  const topic = new Set<string>();
  const polarity = new Map<string, number>();
  const surface = new Set(tokens);
  let negAt = -1;
  let negated = 0;
  let lastVerbAt = -Infinity;
  tokens.forEach((t, i) => {
    if (negAt >= 0 && i - negAt > NEGATION_WINDOW) {
      negated++;
      negAt = -1;
    }
    if (NEGATORS.has(t)) {
      negAt = i;
      return;
    }
    if (PARTICLE_VERBS.has(t)) lastVerbAt = i;
    if (PARTICLES.has(t) && !(i - lastVerbAt <= NEGATION_WINDOW || i === tokens.length - 1)) return; // a preposition here
    const w = lookup(t);
    if (w.kind === 'stop') return;
    if (w.kind === 'concept') {
      topic.add(w.concept);
      return;
    }
    let sign: number = w.polar.sign;
    if (negAt >= 0) {
      sign = -sign;
      negAt = -1;
    }
    topic.add(w.polar.concept);
    polarity.set(w.polar.concept, (polarity.get(w.polar.concept) ?? 0) + sign);
  });
  if (negAt >= 0) negated++;
  if (negated > 0) polarity.set('(negated)', -negated);
  for (const [k, v] of polarity) if (v === 0) polarity.delete(k);
  return { topic, polarity, surface };
}

const CACHE_CAP = 8192;
const cache = new Map<string, Float32Array>();

/** The fixed unit vector of one feature (a seeded Gaussian draw; prefixes are draws of shorter vectors). */
function featureVector(key: string, dims: number): Float32Array {
  const id = `${dims}|${key}`;
  let v = cache.get(id);
  if (v) return v;
  const rng = new Rng(hash32(key));
  v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = rng.normal();
    v[i] = x;
    norm += x * x;
  }
  const k = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) v[i]! *= k;
  if (cache.size >= CACHE_CAP) cache.clear();
  cache.set(id, v);
  return v;
}

function addUnit(out: Float64Array, parts: Iterable<readonly [string, number]>, dims: number, weight: number): void {
  const sum = new Float64Array(dims);
  let any = false;
  for (const [key, w] of parts) {
    const f = featureVector(key, dims);
    for (let i = 0; i < dims; i++) sum[i]! += w * f[i]!;
    any = true;
  }
  if (!any) return;
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += sum[i]! * sum[i]!;
  const k = weight / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) out[i]! += sum[i]! * k;
}

/**
 * The embedding of `text` for `model`, `dims` long, unit length: the model's full vector
 * (`fullDims`) cut to `dims` and renormalised, as text-embedding-3's `dimensions` does.
 */
export function embed(text: string, model: string, dims: number, fullDims = dims): Float32Array {
  const full = Math.max(dims, fullDims);
  const f = features(text);
  const ns = `${hash32(model)}`;
  const acc = new Float64Array(full);
  addUnit(acc, [...f.topic].map((c) => [`${ns}|t|${c}`, 1] as const), full, 1);
  addUnit(acc, [...f.polarity].map(([c, s]) => [`${ns}|p|${c}`, s] as const), full, POLARITY_WEIGHT);
  addUnit(acc, [...f.surface].map((w) => [`${ns}|s|${w}`, 1] as const), full, SURFACE_WEIGHT);
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += acc[i]! * acc[i]!;
  const k = 1 / Math.sqrt(norm || 1);
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) out[i] = acc[i]! * k;
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb || 1);
}
