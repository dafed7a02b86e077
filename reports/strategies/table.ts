/** The comparison's tables as plain cells (pure), shared by the Markdown and HTML renderers. */
import { fmtInt, fmtMs, fmtPct, fmtUsd } from '../format.js';
import type { StrategyComparison, StrategyRow } from './schema.js';

export interface Table {
  head: string[];
  rows: string[][];
}

const share = (q: StrategyRow['quality']): string =>
  q && q.share !== null ? `${fmtPct(q.share)} of ${fmtInt(q.judged)}` : '—';

/** Configs planned that neither ran nor failed: a signal stopped the comparison first. */
export function notRun(c: StrategyComparison): string[] {
  const seen = new Set([...c.configs.map((r) => r.name), ...c.failed.map((f) => f.name)]);
  return c.planned.filter((p) => !seen.has(p));
}

/** ` (baseline, recommended)`, ` (interrupted)`, … after a config's name */
function tag(baseline: boolean, recommended: boolean, interrupted: boolean): string {
  const marks = [baseline && 'baseline', recommended && 'recommended', interrupted && 'interrupted'].filter(Boolean);
  return marks.length > 0 ? ` (${marks.join(', ')})` : '';
}

/** One row per config: the figures a strategy is chosen on. */
export function figuresTable(c: StrategyComparison): Table {
  const head = [
    'config',
    'requests',
    'errors',
    'TTFT p50',
    'TTFT p99',
    'cost / 1k',
    'cache hits',
    'failovers',
    'adequate',
    'thresholds',
  ];
  const rows = c.configs.map((r, i) => [
    `${r.name}${tag(i === 0, r.name === c.recommendation.pick, r.interrupted)}`,
    fmtInt(r.requests),
    `${fmtPct(r.errorRate)} (${fmtInt(r.errors)})`,
    fmtMs(r.ttft_p50_ms),
    fmtMs(r.ttft_p99_ms),
    fmtUsd(r.costPer1kUsd),
    fmtPct(r.cacheHitRate),
    `${fmtInt(r.failovers)} (${fmtPct(r.failoverRate)})`,
    share(r.quality),
    r.thresholdsOk === null ? '—' : r.thresholdsOk ? 'held' : 'crossed',
  ]);
  return { head, rows };
}

function keysOf(rows: readonly StrategyRow[], pick: (r: StrategyRow) => Record<string, unknown>): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(pick(r))))].sort();
}

/** Share of requests served per provider, one column per provider. */
export function providerTable(c: StrategyComparison): Table {
  const providers = keysOf(c.configs, (r) => r.providerShare);
  return {
    head: ['config', ...providers],
    rows: c.configs.map((r) => [r.name, ...providers.map((p) => fmtPct(r.providerShare[p] ?? 0))]),
  };
}

/** Share of adequate answers per request class, one column per class. */
export function qualityByClassTable(c: StrategyComparison): Table {
  const classes = keysOf(c.configs, (r) => r.qualityByClass);
  return {
    head: ['config', 'all', ...classes],
    rows: c.configs.map((r) => [r.name, share(r.quality), ...classes.map((k) => share(r.qualityByClass[k] ?? null))]),
  };
}

/** Share of adequate answers per model that served them. */
export function qualityByModelTable(c: StrategyComparison): Table {
  const models = keysOf(c.configs, (r) => r.qualityByModel).filter((m) => m !== '(none)');
  return {
    head: ['config', ...models],
    rows: c.configs.map((r) => [r.name, ...models.map((m) => share(r.qualityByModel[m] ?? null))]),
  };
}
