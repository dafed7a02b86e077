/**
 * Seeded sampling of the distributions declared in dist-schema.ts. Pure TS with no
 * dependencies (the k6 bundle imports it).
 */
import type { Dist } from './dist-schema.js';
import type { Rng } from './random.js';

export type { Dist } from './dist-schema.js';

function clamp(x: number, min?: number, max?: number): number {
  if (min !== undefined && x < min) return min;
  if (max !== undefined && x > max) return max;
  return x;
}

/** Marsaglia–Tsang gamma sampler (shape ≥ 1; boosted for shape < 1). */
function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

function empirical(rng: Rng, percentiles: Record<string, number>): number {
  const pts = Object.entries(percentiles)
    .map(([k, v]) => [Number(k.slice(1)) / 100, v] as const)
    .sort((a, b) => a[0] - b[0]);
  const u = rng.uniform();
  const first = pts[0]!;
  if (u <= first[0]) return first[1];
  for (let i = 1; i < pts.length; i++) {
    const [q1, v1] = pts[i]!;
    const [q0, v0] = pts[i - 1]!;
    if (u <= q1) return v0 + ((u - q0) / (q1 - q0 || 1)) * (v1 - v0);
  }
  return pts[pts.length - 1]![1];
}

/** Draw one value. */
export function sample(dist: Dist, rng: Rng): number {
  switch (dist.dist) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return dist.min + rng.uniform() * (dist.max - dist.min);
    case 'lognormal':
      return clamp(rng.lognormal(dist.median, dist.sigma), dist.min, dist.max);
    case 'gamma':
      return clamp(gamma(rng, dist.shape, dist.scale), dist.min, dist.max);
    case 'exponential':
      return clamp(rng.exponential(dist.mean), dist.min, dist.max);
    case 'empirical':
      return empirical(rng, dist.percentiles);
  }
}

/** Draw a whole number ≥ 1 (token counts). */
export function sampleInt(dist: Dist, rng: Rng): number {
  return Math.max(1, Math.round(sample(dist, rng)));
}
