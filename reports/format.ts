/** Number formatting shared by the renderers (pure). "—" stands for no data. */

export const NO_DATA = '—';

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * 0.412 ms · 12.3 ms · 412 ms · 1,230 ms: ms throughout so columns compare, and no more than the
 * histogram's three significant digits (HDR reports 1,401 for a bucket holding 1,400).
 */
export function fmtMs(ms: number | null): string {
  if (ms === null) return NO_DATA;
  const a = Math.abs(ms);
  if (a === 0) return '0 ms';
  if (a >= 100) return `${fmtInt(Number(ms.toPrecision(3)))} ms`;
  if (a >= 10) return `${ms.toFixed(1)} ms`;
  if (a >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function fmtPct(fraction: number | null): string {
  if (fraction === null) return NO_DATA;
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (Math.abs(pct) < 0.01) return '<0.01%';
  return `${pct.toFixed(2)}%`;
}

/** $1,234.56 for large sums, 4 significant digits for small ones ($0.001234). */
export function fmtUsd(usd: number | null): string {
  if (usd === null) return NO_DATA;
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 1) return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(9, Math.max(2, 3 - Math.floor(Math.log10(a))));
  return `${sign}$${a.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/** A plain number (threshold observations, means): up to 4 decimals, no trailing zeros. */
export function fmtNum(n: number | null): string {
  if (n === null) return NO_DATA;
  return Number(n.toFixed(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function fmtSeconds(s: number): string {
  if (s < 60) return `${Number(s.toFixed(1))} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

/** Equal to the cent: what a person would call "the same bill". */
export function sameToTheCent(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.005;
}
