/**
 * Pure: the cost and cache blocks of the summary — reconciliation with the ledger, what failed
 * attempts cost, what the cache saved, and the cache's false-hit rate.
 *
 * Reconciliation: the gateway reports the serving attempt's cost on each answer (usage.cost_usd,
 * summed into `totalUsd`); the ledger bills every upstream call. So
 *   ledgerUsd = totalUsd + failedAttemptsUsd + unexplainedUsd
 * where failedAttemptsUsd is the ledger cost of calls that served nothing. A run that balances has
 * unexplainedUsd = 0 (to the cent); anything else is shown, never hidden.
 */
import type { Aggregate } from './aggregate.js';
import { falseHits } from './cache-acc.js';
import type { LedgerTotals } from './ledger.js';
import { ratio, roundUsd } from './numbers.js';
import { costOf, priceOf, type PriceTable } from './prices.js';
import type { GatewayMetricsSnapshot } from './prom.js';
import type { Summary } from './summary-schema.js';

export interface CostInputs {
  ledger?: LedgerTotals | null;
  gateway?: GatewayMetricsSnapshot | null;
  prices?: PriceTable | null;
}

export function summarizeCache(agg: Aggregate): Summary['cache'] {
  const acc = agg.metrics.get('cache_hit');
  const lookups = acc?.count ?? 0;
  const hits = acc?.nonZero ?? 0;
  const f = falseHits(agg.cache);
  return {
    lookups,
    hits,
    hitRate: ratio(hits, lookups),
    falseHits: f ? f.false : null,
    falseHitChecked: f ? f.checked : 0,
    falseHitRate: f ? ratio(f.false, f.checked) : null,
  };
}

function savedByCache(agg: Aggregate, prices: PriceTable | null | undefined): Summary['cost']['savedByCache'] {
  const lookups = agg.metrics.get('cache_hit')?.count ?? 0;
  let requests = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let charged = 0;
  let estimate = 0;
  let unpriced = 0;
  for (const s of agg.cache.served.values()) {
    requests += s.requests;
    tokensIn += s.tokensIn;
    tokensOut += s.tokensOut;
    charged += s.costUsd;
    const price = prices ? priceOf(prices, s.provider, s.model) : undefined;
    if (price) estimate += costOf(price, s.tokensIn, s.tokensOut);
    else if (s.tokensIn + s.tokensOut > 0) unpriced += s.requests;
  }
  const base = { requests, tokensIn, tokensOut };
  if (lookups === 0) return { ...base, usd: null, basis: 'unknown: the samples record no cache lookups (cache_hit)' };
  if (requests === 0) return { ...base, usd: 0, basis: 'no cache hits' };
  if (tokensIn + tokensOut === 0) return { ...base, usd: null, basis: 'unknown: the cache-hit requests carry no token counts' };
  if (!prices || prices.prices.size === 0) return { ...base, usd: null, basis: 'unknown: no price table (gateway.json or fleet.json) in the run directory' };
  if (unpriced === requests) return { ...base, usd: null, basis: 'unknown: no price for the models the cache hits were for' };
  const parts = [`tokens of ${requests} cache hits × list price of their model (${prices.sources.join(', ')})`];
  // a hit makes no upstream call, so what it saved is the whole estimate, whatever cost_usd it reported
  if (charged > 0) parts.push(`the hits themselves reported $${roundUsd(charged)} cost_usd`);
  if (unpriced > 0) parts.push(`${unpriced} hits without a price left out`);
  return { ...base, usd: roundUsd(estimate), basis: parts.join('; ') };
}

/** Per-request cost spread: requests without a cost_usd point count as 0. */
function perRequestSd(agg: Aggregate, requests: number): number | null {
  const acc = agg.metrics.get('cost_usd');
  if (requests < 2 || !acc) return null;
  const m = acc.sum / requests;
  return roundUsd(Math.sqrt(Math.max(0, acc.sumSq / requests - m * m)));
}

export function summarizeCost(agg: Aggregate, requests: number, inputs: CostInputs): Summary['cost'] {
  const totalUsd = roundUsd(agg.metrics.get('cost_usd')?.sum ?? 0);
  const ledger = inputs.ledger ?? null;
  const ledgerUsd = ledger ? roundUsd(ledger.costUsd) : null;
  const differenceUsd = ledgerUsd === null ? null : roundUsd(ledgerUsd - totalUsd);
  const failedAttemptsUsd = ledger ? roundUsd(ledger.failedCostUsd) : null;
  return {
    totalUsd,
    per1kUsd: requests > 0 ? roundUsd((totalUsd / requests) * 1000) : null,
    perRequestSdUsd: perRequestSd(agg, requests),
    ledgerUsd,
    differenceUsd,
    failedAttemptsUsd,
    unexplainedUsd: differenceUsd === null || failedAttemptsUsd === null ? null : roundUsd(differenceUsd - failedAttemptsUsd),
    gatewayUsd: inputs.gateway?.costUsd != null ? roundUsd(inputs.gateway.costUsd) : null,
    savedByCache: savedByCache(agg, inputs.prices),
  };
}
