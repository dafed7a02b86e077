/** Rounding for the summary: stable JSON without float noise (0.30000000000000004). */

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** USD to the nano-dollar: a single small request may cost well under a cent. */
export function roundUsd(x: number): number {
  return round(x, 9);
}

/** a / b rounded to 6 digits, or null when there is nothing to divide by. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? round(a / b, 6) : null;
}

/** A count from a sum of sample values (k6 writes 1 per request): a whole number, never negative. */
export function countOf(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.round(x)) : 0;
}
