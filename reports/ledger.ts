/**
 * Streaming read of the mock fleet's ledger: one NDJSON line per upstream call, retries and
 * failovers included, so it is what the providers would bill. Bad lines are counted, never fatal.
 */
import { z } from 'zod';
import { linesOf, noteBadLine, type BadLines, type LineSource } from './lines.js';
import { createLedgerQuality, recordLedgerQuality, type LedgerQuality } from './quality-acc.js';

/**
 * One ledger line. Loose on purpose: fields the report does not read may come and go. The mock
 * writes null for what it could not know (no status sent before the call ended, no model in the
 * body, no attempt header).
 */
export const LedgerLineSchema = z.object({
  time: z.string().optional(),
  endpoint: z.string().min(1),
  provider: z.string().optional(),
  region: z.string().optional(),
  model: z.string().nullable().optional(),
  requestId: z.string().nullable().optional(),
  attempt: z.number().nullable().optional(),
  status: z.int().min(0).max(999).nullable(),
  stream: z.boolean().optional(),
  fault: z.string().nullable().optional(),
  tokensIn: z.number().nonnegative().default(0),
  tokensOut: z.number().nonnegative().default(0),
  /** prompt tokens the provider's prompt cache served (part of tokensIn, billed at the cached price) */
  cachedTokensIn: z.number().nonnegative().default(0),
  /** prompt tokens written to the prompt cache (Anthropic) */
  cacheWriteTokensIn: z.number().nonnegative().default(0),
  /** the same call's cost without the prompt cache, minus its cost */
  cacheSavedUsd: z.number().default(0),
  costUsd: z.number().nonnegative().default(0),
  durationMs: z.number().optional(),
  /** `ok` for a complete answer; anything else (e.g. a broken stream) is an error */
  outcome: z.string().optional(),
  /** the fleet's quality verdict on the answer; null when it served none, absent from older fleets */
  adequate: z.boolean().nullable().optional(),
});
export type LedgerLine = z.output<typeof LedgerLineSchema>;

export interface EndpointTotals {
  calls: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
}

export interface LedgerTotals {
  lines: number;
  bad: BadLines;
  calls: number;
  costUsd: number;
  /** calls that did not give a complete answer (error status, broken or abandoned stream): they cost money and served nothing */
  failedCalls: number;
  failedCostUsd: number;
  tokensIn: number;
  tokensOut: number;
  /** provider prompt cache: tokens read and written, and what it saved */
  cachedTokensIn: number;
  cacheWriteTokensIn: number;
  cacheSavedUsd: number;
  /** by endpoint (`openai/us-east`) */
  byEndpoint: Map<string, EndpointTotals>;
  /** quality verdicts of the answered calls */
  quality: LedgerQuality;
}

/** A call is ok when its status is 2xx and its outcome (when given) is `ok`. */
export function isOkCall(l: LedgerLine): boolean {
  return l.status !== null && l.status >= 200 && l.status < 300 && (l.outcome === undefined || l.outcome === 'ok');
}

export function createLedgerTotals(): LedgerTotals {
  return {
    lines: 0,
    bad: { count: 0, samples: [] },
    calls: 0,
    costUsd: 0,
    failedCalls: 0,
    failedCostUsd: 0,
    tokensIn: 0,
    tokensOut: 0,
    cachedTokensIn: 0,
    cacheWriteTokensIn: 0,
    cacheSavedUsd: 0,
    byEndpoint: new Map(),
    quality: createLedgerQuality(),
  };
}

export function recordLedgerLine(t: LedgerTotals, l: LedgerLine): void {
  t.calls++;
  t.costUsd += l.costUsd;
  const ok = isOkCall(l);
  recordLedgerQuality(t.quality, l, ok);
  if (!ok) {
    t.failedCalls++;
    t.failedCostUsd += l.costUsd;
  }
  t.tokensIn += l.tokensIn;
  t.tokensOut += l.tokensOut;
  t.cachedTokensIn += l.cachedTokensIn;
  t.cacheWriteTokensIn += l.cacheWriteTokensIn;
  t.cacheSavedUsd += l.cacheSavedUsd;
  let e = t.byEndpoint.get(l.endpoint);
  if (!e) {
    e = { calls: 0, ok: 0, errors: 0, statuses: {}, costUsd: 0, tokensIn: 0, tokensOut: 0 };
    t.byEndpoint.set(l.endpoint, e);
  }
  e.calls++;
  if (ok) e.ok++;
  else e.errors++;
  const s = l.status === null ? 'none' : String(l.status);
  e.statuses[s] = (e.statuses[s] ?? 0) + 1;
  e.costUsd += l.costUsd;
  e.tokensIn += l.tokensIn;
  e.tokensOut += l.tokensOut;
}

function parseLedgerLine(text: string): { ok: true; line: LedgerLine } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = LedgerLineSchema.safeParse(v);
  if (r.success) return { ok: true, line: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
}

/** Read a ledger file (streamed) or lines; more ledgers (several fleets) add into `into`. */
export async function ingestLedger(input: LineSource, opts: { keepBadLines?: number; into?: LedgerTotals } = {}): Promise<LedgerTotals> {
  const keep = opts.keepBadLines ?? 10;
  const t = opts.into ?? createLedgerTotals();
  let n = 0;
  const problem = (reason: string) => noteBadLine(t.bad, n + 1, reason, keep);
  for await (const text of linesOf(input, 'ledger NDJSON', problem)) {
    n++;
    if (text.trim() === '') continue;
    t.lines++;
    const r = parseLedgerLine(text);
    if (r.ok) recordLedgerLine(t, r.line);
    else noteBadLine(t.bad, n, r.reason, keep);
  }
  return t;
}
