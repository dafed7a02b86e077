/**
 * Projections for a traffic profile, from the knee step (the operating point closest to the
 * limit that still met the SLO): daily and monthly cost, the provider quota (RPM/TPM per upstream
 * endpoint) the peak needs, each with and without the cache's measured savings, and the headroom
 * at the peak. Pure.
 */
import type { Projection, Step } from './schema.js';

const DAYS_PER_MONTH = 30;
/** Without a cache every request would go upstream: counts scale by 1 ÷ (1 − hit rate); capped. */
const MAX_HIT_RATE = 0.99;

export interface ProfileInput {
  dailyRequests: number;
  peakRps: number;
}

export function project(step: Step | undefined, knee: number | null, profile: ProfileInput): Projection | null {
  if (!step || step.requests === 0) return null;
  const notes: string[] = [];
  const n = step.requests;
  const billed = step.ledgerUsd ?? step.clientUsd;
  if (step.ledgerUsd === null) notes.push('no fleet ledger: cost is what the gateway reported to the client, not what providers billed');
  const costPerRequest = billed / n;
  const saved = step.savedByCacheUsd;
  if (saved === null && (step.cacheHitRate ?? 0) > 0) notes.push('the cache saved an unknown amount: cost without the cache is shown as with it');
  const costNoCache = costPerRequest + (saved ?? 0) / n;
  const hit = Math.min(MAX_HIT_RATE, step.cacheHitRate ?? 0);
  const perMinPeak = profile.peakRps * 60;
  const quotas = Object.entries(step.upstream?.byEndpoint ?? {}).map(([endpoint, e]) => {
    const rpm = (e.calls / n) * perMinPeak;
    const tpm = ((e.tokensIn + e.tokensOut) / n) * perMinPeak;
    return { endpoint, rpm, tpm, rpmNoCache: rpm / (1 - hit), tpmNoCache: tpm / (1 - hit) };
  });
  if (!step.upstream) notes.push('no fleet ledger: the provider quota per upstream cannot be measured');
  const mean = profile.dailyRequests / 86_400;
  return {
    dailyRequests: profile.dailyRequests,
    peakRps: profile.peakRps,
    meanRps: mean,
    costPerRequestUsd: costPerRequest,
    costPerRequestNoCacheUsd: costNoCache,
    dailyUsd: costPerRequest * profile.dailyRequests,
    monthlyUsd: costPerRequest * profile.dailyRequests * DAYS_PER_MONTH,
    dailyNoCacheUsd: costNoCache * profile.dailyRequests,
    monthlyNoCacheUsd: costNoCache * profile.dailyRequests * DAYS_PER_MONTH,
    cacheHitRate: step.cacheHitRate,
    quotas,
    headroomAtPeak: knee === null ? null : knee / profile.peakRps - 1,
    headroomAtMean: knee === null ? null : knee / mean - 1,
    copiesForPeak: knee === null || knee <= 0 ? null : Math.max(1, Math.ceil(profile.peakRps / knee)),
    notes,
  };
}
