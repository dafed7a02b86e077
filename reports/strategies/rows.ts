/** One run of a strategy comparison → its row: the figures that matter for choosing a strategy. */
import { ratio } from '../numbers.js';
import { byServed, byTag, overallShare, shareAdequate, type Answer } from '../quality.js';
import type { Summary } from '../summary-schema.js';
import type { StrategyRow } from './schema.js';

export interface RowInput {
  name: string;
  config: string;
  runDir: string;
  summary: Summary;
  /** readAnswers(runDir): the successful requests with the fleet's verdicts */
  answers: readonly Answer[];
}

const strip = ({ judged, adequate, unjudged, share }: ReturnType<typeof overallShare>) => ({
  judged,
  adequate,
  unjudged,
  share,
});

function mapShares(m: ReturnType<typeof shareAdequate>): StrategyRow['qualityByClass'] {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, strip(v)]));
}

/** Cost per 1k requests: the ledger's bill (escalations, retries and failovers cost money too) when there is one. */
function costPer1k(s: Summary): Pick<StrategyRow, 'costPer1kUsd' | 'costBasis'> {
  if (s.upstream)
    return {
      costPer1kUsd: s.totals.requests > 0 ? (s.upstream.costUsd / s.totals.requests) * 1000 : null,
      costBasis: 'ledger',
    };
  return { costPer1kUsd: s.cost.per1kUsd, costBasis: 'client' };
}

export function strategyRow(i: RowInput): StrategyRow {
  const s = i.summary;
  const served = Object.entries(s.breakdowns.provider).filter(([p]) => p !== '(none)');
  const providerShare = Object.fromEntries(
    served.map(([p, g]) => [p, s.totals.requests > 0 ? g.requests / s.totals.requests : 0]),
  );
  const judged = i.answers.some((a) => a.adequate !== null);
  return {
    name: i.name,
    config: i.config,
    runDir: i.runDir,
    interrupted: s.run.interrupted !== null,
    thresholdsOk: s.thresholds.length > 0 ? s.thresholds.every((t) => t.ok) : null,
    requests: s.totals.requests,
    errors: s.totals.errors,
    errorRate: s.totals.errorRate,
    ttft_p50_ms: s.latency.ttft_ms.p50,
    ttft_p99_ms: s.latency.ttft_ms.p99,
    ...costPer1k(s),
    cacheHitRate: s.cache.hitRate,
    failovers: s.attempts.retried,
    failoverRate: ratio(s.attempts.retried, s.totals.requests),
    providerShare,
    quality: judged ? strip(overallShare(i.answers)) : null,
    qualityByClass: judged ? mapShares(shareAdequate(i.answers, byTag('class'))) : {},
    qualityByModel: judged ? mapShares(shareAdequate(i.answers, byServed('model'))) : {},
  };
}
