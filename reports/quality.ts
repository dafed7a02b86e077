/**
 * Answer quality in the report: the mock fleet's verdicts (ledger `adequate`) joined to the
 * requests of the samples through the request id (`x-request-id`, the http_reqs point's
 * `metadata.request_id`). A request's answer is its last answered upstream call (a cascade's
 * escalation, a retry's success); a successful request with no answered call in the ledger (a
 * cache hit, a gateway that does not pass the id on) counts as unjudged.
 *
 * The API for tools (compare-strategies): `readAnswers(runDirs)` → one Answer per successful
 * request, then `shareAdequate(answers, by)` for any grouping — `byTag('class')`,
 * `byServed('model')`, or any function of an answer.
 */
import type { Tags } from '../scenarios/samples.js';
import { createAggregate, type Aggregate } from './aggregate.js';
import { ingestInto } from './ingest.js';
import { createLedgerTotals, ingestLedger, type LedgerTotals } from './ledger.js';
import { ratio } from './numbers.js';
import { emptyTally, tallyVerdict, type AdequacyTally, type ServedVerdict } from './quality-acc.js';
import { resolveInput, RUN_FILES, sideFiles } from './run-inputs.js';
import type { Summary } from './summary-schema.js';

export type { AdequacyTally, ServedVerdict } from './quality-acc.js';

/** One successful request and the verdict on the answer it got. */
export interface Answer {
  requestId: string;
  /** the tags of its http_reqs point (class, tenant, feature, tier, model asked for, …) */
  tags: Tags;
  /** null: no answered upstream call for it in the ledger */
  adequate: boolean | null;
  /** who served the answer (ledger), null when unjudged */
  provider: string | null;
  model: string | null;
}

export interface ShareAdequate extends AdequacyTally {
  /** adequate / judged; null when nothing was judged */
  share: number | null;
}

/** A request is successful when its status is 2xx and it carries no error tag. */
function succeeded(tags: Tags): boolean {
  const s = Number(tags.status);
  return s >= 200 && s < 300 && !tags.error;
}

/** The successful requests of the samples, each with the verdict of its answer. */
export function joinAnswers(requests: ReadonlyMap<string, Tags>, final: ReadonlyMap<string, ServedVerdict>): Answer[] {
  const out: Answer[] = [];
  for (const [requestId, tags] of requests) {
    if (!succeeded(tags)) continue;
    const v = final.get(requestId);
    out.push({ requestId, tags, adequate: v?.adequate ?? null, provider: v?.provider ?? null, model: v?.model ?? null });
  }
  return out;
}

export function withShare(t: AdequacyTally): ShareAdequate {
  return { ...t, share: ratio(t.adequate, t.judged) };
}

/** Group key: a sample tag of the request. */
export const byTag =
  (name: string) =>
  (a: Answer): string | undefined =>
    a.tags[name];

/** Group key: who served the answer, from the ledger. */
export const byServed =
  (field: 'provider' | 'model') =>
  (a: Answer): string | null =>
    a[field];

/** Share of adequate answers per group (`(none)` for answers the key says nothing about), keys sorted. */
export function shareAdequate(answers: Iterable<Answer>, by: (a: Answer) => string | null | undefined): Record<string, ShareAdequate> {
  const groups = new Map<string, AdequacyTally>();
  for (const a of answers) {
    const key = by(a) ?? '(none)';
    let t = groups.get(key);
    if (!t) groups.set(key, (t = emptyTally()));
    tallyVerdict(t, a.adequate);
  }
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, withShare(groups.get(k)!)]));
}

/** All answers as one group. */
export function overallShare(answers: Iterable<Answer>): ShareAdequate {
  return shareAdequate(answers, () => 'all').all ?? withShare(emptyTally());
}

/** Run directories (several runners of one run merge) → their answers. */
export async function readAnswers(runDirs: string | readonly string[]): Promise<Answer[]> {
  const inputs = (typeof runDirs === 'string' ? [runDirs] : runDirs).map(resolveInput);
  const agg = createAggregate();
  for (const i of inputs) await ingestInto(agg, i.samples);
  const ledger = createLedgerTotals();
  for (const f of sideFiles(inputs, RUN_FILES.ledger)) await ingestLedger(f, { into: ledger });
  return joinAnswers(agg.requests, ledger.quality.final);
}

const sortedShares = (m: ReadonlyMap<string, AdequacyTally>): Record<string, ShareAdequate> =>
  Object.fromEntries([...m.keys()].sort().map((k) => [k, withShare(m.get(k)!)]));

/** The summary's quality block; null without a ledger or when the fleet judged nothing (no quality model). */
export function summarizeQuality(agg: Aggregate, ledger: LedgerTotals | null | undefined): Summary['quality'] {
  if (!ledger || ledger.quality.lines === 0) return null;
  const answers = joinAnswers(agg.requests, ledger.quality.final);
  const basis: string[] = [
    'requests and classes: the answer of each successful request (its last answered upstream call, joined on x-request-id)',
    'models and providers: every answered upstream call, answers a cascade replaced included',
  ];
  if (agg.requests.size === 0) basis.push('the samples name no request ids (http_reqs metadata.request_id): no per-request shares');
  if (agg.requestsUnindexed > 0) basis.push(`${agg.requestsUnindexed} requests past the index limit left out`);
  return {
    basis: basis.join('; '),
    requests: overallShare(answers),
    byClass: shareAdequate(answers, byTag('class')),
    byModel: sortedShares(ledger.quality.byModel),
    byProvider: sortedShares(ledger.quality.byProvider),
  };
}
