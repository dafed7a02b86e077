/** Pure: the figures a comparison lines up, and their deltas against the reference run. */
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtUsd } from '../format.js';
import type { Summary } from '../summary-schema.js';

export interface CompareRow {
  label: string;
  value: (s: Summary) => number | null;
  format: (v: number | null) => string;
  /** which way is worse, for the ✗/✓ marks; null when neither */
  worse: 'higher' | 'lower' | null;
  /** rates compare in percentage points, the rest relatively */
  delta: 'relative' | 'points';
}

const ms = (f: (s: Summary) => number | null, label: string): CompareRow => ({ label, value: f, format: fmtMs, worse: 'higher', delta: 'relative' });
const rate = (f: (s: Summary) => number | null, label: string, worse: 'higher' | 'lower'): CompareRow => ({ label, value: f, format: fmtPct, worse, delta: 'points' });
const usd = (f: (s: Summary) => number | null, label: string): CompareRow => ({ label, value: f, format: fmtUsd, worse: 'higher', delta: 'relative' });

export const COMPARE_ROWS: CompareRow[] = [
  { label: 'requests', value: (s) => s.totals.requests, format: (v) => (v === null ? '—' : fmtInt(v)), worse: null, delta: 'relative' },
  { label: 'requests/s', value: (s) => s.totals.rps, format: fmtNum, worse: null, delta: 'relative' },
  rate((s) => s.totals.errorRate, 'error rate', 'higher'),
  { label: 'dropped starts', value: (s) => s.totals.dropped, format: (v) => (v === null ? '—' : fmtInt(v)), worse: 'higher', delta: 'relative' },
  ms((s) => s.latency.ttft_ms.p50, 'TTFT p50'),
  ms((s) => s.latency.ttft_ms.p90, 'TTFT p90'),
  ms((s) => s.latency.ttft_ms.p99, 'TTFT p99'),
  ms((s) => s.latency.ttft_ms.p999, 'TTFT p99.9'),
  ms((s) => s.latency.e2e_ms.p50, 'E2E p50'),
  ms((s) => s.latency.e2e_ms.p99, 'E2E p99'),
  ms((s) => s.latency.itl_ms.p50, 'ITL p50'),
  ms((s) => s.latency.itl_ms.p99, 'ITL p99'),
  usd((s) => s.cost.totalUsd, 'cost'),
  usd((s) => s.cost.per1kUsd, 'cost per 1k requests'),
  usd((s) => s.cost.ledgerUsd, 'ledger (every attempt)'),
  usd((s) => s.cost.failedAttemptsUsd, 'spent on failed attempts'),
  { label: 'saved by cache', value: (s) => s.cost.savedByCache.usd, format: fmtUsd, worse: 'lower', delta: 'relative' },
  rate((s) => s.cache.hitRate, 'cache hit rate', 'lower'),
  rate((s) => s.cache.falseHitRate, 'cache false-hit rate', 'higher'),
  rate((s) => s.quality?.requests.share ?? null, 'adequate answers', 'lower'),
  { label: 'thresholds crossed', value: (s) => (s.thresholds.length ? s.thresholds.filter((t) => !t.ok).length : null), format: (v) => (v === null ? '—' : fmtInt(v)), worse: 'higher', delta: 'relative' },
];

/** `+12.3%`, `−4.0 pts`, `=`; with ✗ when worse beyond 5% (or 1 point), ✓ when better by as much. Empty when either is missing. */
export function deltaText(row: CompareRow, ref: number | null, v: number | null): string {
  if (ref === null || v === null) return '';
  if (v === ref) return '=';
  let text: string;
  let big: boolean;
  if (row.delta === 'points') {
    const pts = (v - ref) * 100;
    text = `${pts > 0 ? '+' : '−'}${Math.abs(pts).toFixed(2)} pts`;
    big = Math.abs(pts) >= 1;
  } else if (ref === 0) {
    text = v > 0 ? '+∞' : '−∞';
    big = true;
  } else {
    const rel = (v - ref) / Math.abs(ref);
    text = `${rel > 0 ? '+' : '−'}${Math.abs(rel * 100).toFixed(1)}%`;
    big = Math.abs(rel) >= 0.05;
  }
  if (!row.worse || !big) return text;
  const worse = row.worse === 'higher' ? v > ref : v < ref;
  return `${text} ${worse ? '✗' : '✓'}`;
}
