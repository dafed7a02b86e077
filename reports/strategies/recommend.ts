/**
 * The recommendation line, derived from the rows (pure). The rule:
 * - the first config is the baseline (the first that ran, should its run have failed);
 * - a config is eligible when its run ended by itself, every spec threshold held (a spec without
 *   thresholds: under 1 % of its requests failed), and its share of adequate answers is at most
 *   `maxQualityDropPoints` (default 10) points under the baseline's;
 * - the pick is the eligible config with the lowest cost per 1k requests (ties: the better quality);
 * - the line states the pick against the baseline: cost saved (%), p99 TTFT (ms) and the share of
 *   adequate answers (points). When the pick is the baseline, the line says it stays and how the
 *   next cheapest eligible config compares.
 */
import { fmtMs } from '../format.js';
import type { Recommendation, StrategyRow } from './schema.js';

/** How far under the baseline's share of adequate answers a pick may fall, in points, unless told. */
export const DEFAULT_MAX_QUALITY_DROP_POINTS = 10;

export function recommendationRule(maxQualityDropPoints = DEFAULT_MAX_QUALITY_DROP_POINTS): string {
  return (
    'the cheapest config (cost per 1k requests) whose run was not interrupted, met every spec threshold ' +
    `(no thresholds: under 1 % errors) and kept its share of adequate answers within ${maxQualityDropPoints} points ` +
    "of the baseline's, stated against the first config as the baseline"
  );
}

const MINUS = '\u2212';

export function eligible(
  r: StrategyRow,
  base: StrategyRow,
  maxQualityDropPoints = DEFAULT_MAX_QUALITY_DROP_POINTS,
): boolean {
  if (r.interrupted || r.costPer1kUsd === null || r.requests === 0) return false;
  const q = r.quality?.share ?? null;
  const bq = base.quality?.share ?? null;
  if (q !== null && bq !== null && (bq - q) * 100 > maxQualityDropPoints + 1e-9) return false;
  return r.thresholdsOk ?? (r.errorRate ?? 1) < 0.01;
}

const signed = (n: number, text: string): string => `${n < 0 ? MINUS : '+'}${text}`;

function deltas(
  pick: StrategyRow,
  base: StrategyRow,
): Pick<Recommendation, 'savingPct' | 'ttftP99DeltaMs' | 'qualityDeltaPoints'> {
  const cost =
    base.costPer1kUsd && pick.costPer1kUsd !== null ? (1 - pick.costPer1kUsd / base.costPer1kUsd) * 100 : null;
  const ttft = pick.ttft_p99_ms !== null && base.ttft_p99_ms !== null ? pick.ttft_p99_ms - base.ttft_p99_ms : null;
  const q = pick.quality?.share ?? null;
  const bq = base.quality?.share ?? null;
  return {
    savingPct: cost,
    ttftP99DeltaMs: ttft,
    qualityDeltaPoints: q !== null && bq !== null ? (q - bq) * 100 : null,
  };
}

/** 41 · 4.5 · 0.3: whole percents, one decimal under 10 */
const percent = (n: number): string => (n >= 9.95 ? String(Math.round(n)) : n.toFixed(1));

/** "saves 41 % against priority at +120 ms p99 TTFT and −6 points of quality" */
function tradeOff(d: ReturnType<typeof deltas>, base: string): string {
  const cost =
    d.savingPct === null
      ? `costs an unknown amount against ${base}`
      : d.savingPct >= 0
        ? `saves ${percent(d.savingPct)} % against ${base}`
        : `costs ${percent(-d.savingPct)} % more than ${base}`;
  const ttft =
    d.ttftP99DeltaMs === null
      ? 'an unknown p99 TTFT'
      : `${signed(d.ttftP99DeltaMs, fmtMs(Math.abs(d.ttftP99DeltaMs)))} p99 TTFT`;
  const points = d.qualityDeltaPoints === null ? null : Math.round(d.qualityDeltaPoints);
  const quality =
    points === null
      ? 'quality not judged'
      : `${points === 0 ? '±' : signed(points, '')}${Math.abs(points)} ${Math.abs(points) === 1 ? 'point' : 'points'} of quality`;
  return `${cost} at ${ttft} and ${quality}`;
}

const byCost = (a: StrategyRow, b: StrategyRow): number =>
  (a.costPer1kUsd ?? Infinity) - (b.costPer1kUsd ?? Infinity) || (b.quality?.share ?? -1) - (a.quality?.share ?? -1);

export function recommend(
  rows: readonly StrategyRow[],
  maxQualityDropPoints = DEFAULT_MAX_QUALITY_DROP_POINTS,
): Recommendation {
  const rule = recommendationRule(maxQualityDropPoints);
  const base = rows[0];
  if (!base)
    return {
      text: 'nothing ran: no recommendation',
      rule,
      baseline: '',
      pick: null,
      savingPct: null,
      ttftP99DeltaMs: null,
      qualityDeltaPoints: null,
    };
  const ok = rows.filter((r) => eligible(r, base, maxQualityDropPoints)).sort(byCost);
  const pick = ok[0];
  if (!pick) {
    const cheapest = [...rows].sort(byCost)[0] as StrategyRow;
    const trade = tradeOff(deltas(cheapest, base), base.name);
    const text = `no config met the spec's thresholds and the quality floor; the cheapest, ${cheapest.name}, ${trade}`;
    return { text, rule, baseline: base.name, pick: null, ...deltas(cheapest, base) };
  }
  const d = deltas(pick, base);
  if (pick.name !== base.name) {
    return { text: `${pick.name} ${tradeOff(d, base.name)}`, rule, baseline: base.name, pick: pick.name, ...d };
  }
  const next = ok[1];
  const text = next
    ? `keep ${base.name}: no config that met the thresholds is cheaper ` +
      `(next, ${next.name}, ${tradeOff(deltas(next, base), base.name)})`
    : `keep ${base.name}: no other config met the spec's thresholds and the quality floor`;
  return { text, rule, baseline: base.name, pick: pick.name, ...d };
}
