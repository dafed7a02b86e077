/**
 * Seeded draws for the bootstrap (core/random's Rng): Gamma (Marsaglia–Tsang), Beta, Binomial,
 * and the exact bootstrap of a sample quantile. Pure.
 *
 * Quantile: resampling n values with replacement from an empirical distribution F and taking the
 * k-th smallest (k = ⌈q·n⌉) is the same as drawing U ~ Beta(k, n − k + 1) — the k-th order
 * statistic of n uniforms — and reading F⁻¹(U). So one Beta draw replaces n draws and a sort.
 */
import type { Rng } from '../../core/random.js';
import type { Curve } from '../summary-schema.js';

export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** Successes in n trials of probability p: exact for small n, else normal or Poisson approximations. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n <= 200) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
    return k;
  }
  const variance = n * p * (1 - p);
  if (variance >= 9) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * rng.normal())));
  return p <= 0.5 ? Math.min(n, poisson(rng, n * p)) : n - Math.min(n, poisson(rng, n * (1 - p)));
}

/**
 * F⁻¹ from an HDR percentile curve: linear between its points, and from its last point to the
 * maximum at 100%.
 */
export function curveQuantile(curve: Curve, max: number, pct: number): number {
  const first = curve[0];
  if (!first) return max;
  if (pct <= first.p) return first.ms;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as Curve[number];
    const b = curve[i] as Curve[number];
    if (pct <= b.p) return b.p === a.p ? b.ms : a.ms + ((pct - a.p) / (b.p - a.p)) * (b.ms - a.ms);
  }
  const last = curve[curve.length - 1] as Curve[number];
  return last.p >= 100 ? last.ms : last.ms + ((pct - last.p) / (100 - last.p)) * (max - last.ms);
}

/** One bootstrap draw of the q-quantile (0–1) of n values distributed as the curve. */
export function resampledQuantile(rng: Rng, curve: Curve, max: number, n: number, q: number): number {
  const k = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return curveQuantile(curve, max, beta(rng, k, n - k + 1) * 100);
}
