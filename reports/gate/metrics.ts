/**
 * What each gate rule measures on a run's summary, and how one run's figure is redrawn with its
 * requests resampled (the within-run level of the bootstrap). Pure.
 */
import type { Rng } from '../../core/random.js';
import { fmtMs, fmtPct, fmtUsd } from '../format.js';
import type { Summary } from '../summary-schema.js';
import type { GateMetricKey } from './rules.js';
import { binomial, resampledQuantile } from './sampling.js';

export interface GateMetric {
  key: GateMetricKey;
  label: string;
  /** which way is a regression */
  worse: 'higher' | 'lower';
  format: (v: number | null) => string;
  /** format of an absolute change */
  formatDelta: (d: number) => string;
  value: (s: Summary) => number | null;
  /** one draw of the figure with the run's requests resampled with replacement; absent: the figure is fixed within a run */
  resample?: (s: Summary, rng: Rng) => number | null;
  /** how `resample` works, for the verdict */
  within: string;
}

const signed = (text: string, d: number) => `${d >= 0 ? '+' : '−'}${text}`;
const points = (d: number) => signed(`${Math.abs(d * 100).toFixed(2)} pts`, d);

function p99(pick: 'ttft_ms' | 'e2e_ms', label: string, key: GateMetricKey): GateMetric {
  return {
    key,
    label,
    worse: 'higher',
    format: fmtMs,
    formatDelta: (d) => signed(fmtMs(Math.abs(d)), d),
    value: (s) => s.latency[pick].p99,
    resample: (s, rng) => {
      const l = s.latency[pick];
      const curve = s.distributions[pick];
      if (l.count === 0 || l.p99 === null) return null;
      // a version 1 summary has no curve: its p99 stays fixed
      if (curve.length === 0 || l.max === null) return l.p99;
      return resampledQuantile(rng, curve, l.max, l.count, 0.99);
    },
    within: 'the p99 of the requests resampled with replacement (an order statistic drawn from Beta(k, n−k+1) through the HDR percentile curve)',
  };
}

function rate(key: GateMetricKey, label: string, worse: 'higher' | 'lower', part: (s: Summary) => { k: number; n: number } | null): GateMetric {
  return {
    key,
    label,
    worse,
    format: fmtPct,
    formatDelta: points,
    value: (s) => {
      const x = part(s);
      return x && x.n > 0 ? x.k / x.n : null;
    },
    resample: (s, rng) => {
      const x = part(s);
      return x && x.n > 0 ? binomial(rng, x.n, x.k / x.n) / x.n : null;
    },
    within: 'a binomial redraw of the count over the same number of requests',
  };
}

export const GATE_METRICS: Record<GateMetricKey, GateMetric> = {
  ttft_p99: p99('ttft_ms', 'p99 TTFT', 'ttft_p99'),
  e2e_p99: p99('e2e_ms', 'p99 E2E', 'e2e_p99'),
  error_rate: rate('error_rate', 'error rate', 'higher', (s) => ({ k: s.totals.errors, n: s.totals.requests })),
  cost_per_1k: {
    key: 'cost_per_1k',
    label: 'cost per 1k requests',
    worse: 'higher',
    format: fmtUsd,
    formatDelta: (d) => signed(fmtUsd(Math.abs(d)), d),
    value: (s) => s.cost.per1kUsd,
    resample: (s, rng) => {
      const per1k = s.cost.per1kUsd;
      const sd = s.cost.perRequestSdUsd;
      const n = s.totals.requests;
      // a version 1 summary has no spread: its cost per 1k stays fixed
      if (per1k === null || sd === null || n < 2) return per1k;
      return Math.max(0, per1k + (sd / Math.sqrt(n)) * 1000 * rng.normal());
    },
    within: 'the mean of n resampled per-request costs, drawn from its normal approximation (mean, per-request sd / √n)',
  },
  cache_hit_rate: rate('cache_hit_rate', 'cache hit rate', 'lower', (s) => ({ k: s.cache.hits, n: s.cache.lookups })),
  dropped_rate: rate('dropped_rate', 'dropped starts', 'higher', (s) => ({ k: s.totals.dropped, n: s.totals.requests + s.totals.dropped })),
};
