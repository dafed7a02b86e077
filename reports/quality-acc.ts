/**
 * The ledger's side of answer quality: the mock fleet judges every answer it serves (`adequate`
 * on the ledger line, see mock-providers/README.md "Answer quality"). Tallied per serving model
 * and provider over every answered call, and kept per request id — the verdict of the request's
 * last answered call, the answer the client got — for the join with the samples (quality.ts).
 */

export interface AdequacyTally {
  /** answered calls with a verdict */
  judged: number;
  adequate: number;
  /** answered calls without one */
  unjudged: number;
}

/** The answer a request got, as the ledger saw it: its verdict and who served it. */
export interface ServedVerdict {
  adequate: boolean | null;
  provider: string | null;
  model: string | null;
}

export interface LedgerQuality {
  /** ledger lines carrying an `adequate` field (a fleet with the quality model wrote them) */
  lines: number;
  byModel: Map<string, AdequacyTally>;
  byProvider: Map<string, AdequacyTally>;
  /** request id → its last answered call */
  final: Map<string, ServedVerdict>;
}

export function createLedgerQuality(): LedgerQuality {
  return { lines: 0, byModel: new Map(), byProvider: new Map(), final: new Map() };
}

export function emptyTally(): AdequacyTally {
  return { judged: 0, adequate: 0, unjudged: 0 };
}

export function tallyVerdict(t: AdequacyTally, adequate: boolean | null | undefined): void {
  if (adequate === true || adequate === false) {
    t.judged++;
    if (adequate) t.adequate++;
  } else t.unjudged++;
}

function tallyIn(map: Map<string, AdequacyTally>, key: string, adequate: boolean | null | undefined): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTally()));
  tallyVerdict(t, adequate);
}

export interface QualityLine {
  endpoint: string;
  provider?: string | undefined;
  model?: string | null | undefined;
  requestId?: string | null | undefined;
  adequate?: boolean | null | undefined;
}

/** One ledger line; `answered`: the call served a complete answer (isOkCall). */
export function recordLedgerQuality(q: LedgerQuality, l: QualityLine, answered: boolean): void {
  if (l.adequate !== undefined) q.lines++;
  if (!answered) return;
  const provider = l.provider ?? l.endpoint.split('/')[0] ?? null;
  tallyIn(q.byModel, l.model ?? '(none)', l.adequate);
  tallyIn(q.byProvider, provider ?? '(none)', l.adequate);
  if (l.requestId) q.final.set(l.requestId, { adequate: l.adequate ?? null, provider, model: l.model ?? null });
}
