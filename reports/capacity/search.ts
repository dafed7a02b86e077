/**
 * The knee search as a pure planner: given the steps so far (rate, met the SLO or not), the next
 * rate to try, or the end of the search. Coarse first — multiply the rate by `factor` until a
 * step fails (or halve it until one passes) — then bisect between the highest passing and the
 * lowest failing rate until they are within `tolerance` of each other. The knee is the highest
 * passing rate below the lowest failing one.
 */
export interface SearchOptions {
  startRate: number;
  maxRate: number;
  /** below this the search gives up: nothing passes */
  minRate: number;
  /** coarse growth per step (> 1) */
  factor: number;
  /** stop bisecting when (fail − pass) ÷ pass is at most this */
  tolerance: number;
}

export interface Tried {
  rate: number;
  ok: boolean;
}

export type SearchStop = 'converged' | 'max-rate' | 'below-min-rate';

export type NextStep = { rate: number } | { done: SearchStop };

/** Rates to three significant digits, so progress lines and step names stay readable. */
export function roundRate(r: number): number {
  return Number(r.toPrecision(3));
}

/** The bracket so far: highest pass below the lowest fail (a noisy pass above a fail does not count). */
export function bracket(tried: readonly Tried[]): { pass: number | null; fail: number | null } {
  const fails = tried.filter((t) => !t.ok).map((t) => t.rate);
  const fail = fails.length > 0 ? Math.min(...fails) : null;
  const passes = tried.filter((t) => t.ok && (fail === null || t.rate < fail)).map((t) => t.rate);
  return { pass: passes.length > 0 ? Math.max(...passes) : null, fail };
}

export function nextRate(tried: readonly Tried[], o: SearchOptions): NextStep {
  if (tried.length === 0) return { rate: roundRate(Math.min(o.startRate, o.maxRate)) };
  const { pass, fail } = bracket(tried);
  const seen = (r: number) => tried.some((t) => t.rate === r);
  if (fail === null) {
    const top = pass as number;
    if (top >= o.maxRate) return { done: 'max-rate' };
    const next = roundRate(Math.min(top * o.factor, o.maxRate));
    return next > top && !seen(next) ? { rate: next } : { done: 'max-rate' };
  }
  if (pass === null) {
    const next = roundRate(fail / o.factor);
    return next >= o.minRate && next < fail && !seen(next) ? { rate: next } : { done: 'below-min-rate' };
  }
  if ((fail - pass) / pass <= o.tolerance) return { done: 'converged' };
  const mid = roundRate((pass + fail) / 2);
  return mid > pass && mid < fail && !seen(mid) ? { rate: mid } : { done: 'converged' };
}
