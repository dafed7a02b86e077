/**
 * One upstream call from arrival to its ledger line. The call ends exactly once: completed,
 * answered with an error, abandoned by the client, cut by a fault or an outage; whichever comes
 * first stops its timers, frees its capacity slot and writes the line.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Price } from './fleet-schema.js';
import { costUsd, type CacheTokens, type Ledger, type LedgerOutcome } from './ledger.js';
import type { Pacer } from './pacer.js';

export interface CallSite {
  id: string;
  provider: string;
  region: string;
  ledger: Ledger;
  /** calls not yet ended (an outage ends them) */
  live: Set<Call>;
}

export class Call {
  readonly arrivedAt = performance.now();
  readonly arrivedWall = Date.now();
  model: string | null = null;
  stream = false;
  key: string | null = null;
  tokensIn = 0;
  /** prompt tokens read from and written to the provider's prompt cache */
  cache: CacheTokens = { read: 0, write: 0 };
  price: Price | undefined;
  /** due times of the output tokens (ms after arrival) once planned */
  offsets: Float64Array | undefined;
  pacer: Pacer | undefined;
  fault: string | null = null;
  /** the outage-hang fault holding this call, if any */
  hangFault: string | null = null;
  queueMs = 0;
  /** the quality verdict on the answer this call serves; null until one is planned */
  adequate: boolean | null = null;
  /** performance.now() when the first content went out */
  firstContentAt: number | null = null;
  /** tokens sent when a fault cut the call (otherwise counted from the due times) */
  tokensSent: number | null = null;
  /** run once when the call ends (frees a capacity slot) */
  onEnd: (() => void) | undefined;
  done = false;

  constructor(
    private readonly site: CallSite,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly attempt: number | null,
  ) {
    site.live.add(this);
    res.once('close', () => {
      if (this.done) return;
      if (!res.writableFinished) this.end('client_aborted');
      else this.end(res.statusCode < 400 ? 'ok' : 'error');
    });
  }

  /** End the call now and write its ledger line; later calls are no-ops. */
  end(outcome: LedgerOutcome, fault?: string): void {
    if (this.done) return;
    this.done = true;
    this.pacer?.cancel();
    this.site.live.delete(this);
    this.onEnd?.();
    if (fault && !this.fault?.split(',').includes(fault)) this.fault = this.fault ? `${this.fault},${fault}` : fault;
    const durationMs = performance.now() - this.arrivedAt;
    const planned = this.offsets?.length ?? 0;
    const tokensOut = this.tokensSent ?? (outcome === 'ok' ? planned : this.offsets ? countDue(this.offsets, durationMs) : 0);
    const ms = (x: number): number => Math.round(x * 1000) / 1000;
    const cost = this.price ? costUsd(this.price, this.tokensIn, tokensOut, this.cache) : 0;
    this.site.ledger.write({
      time: new Date(this.arrivedWall).toISOString(),
      endpoint: this.site.id,
      provider: this.site.provider,
      region: this.site.region,
      model: this.model,
      requestId: this.requestId,
      attempt: this.attempt,
      status: this.res.headersSent ? this.res.statusCode : null,
      stream: this.stream,
      fault: this.fault,
      tokensIn: this.tokensIn,
      cachedTokensIn: this.cache.read,
      cacheWriteTokensIn: this.cache.write,
      cacheSavedUsd: this.price ? costUsd(this.price, this.tokensIn, tokensOut) - cost : 0,
      tokensOut,
      costUsd: cost,
      ttftMs: this.firstContentAt === null ? null : ms(this.firstContentAt - this.arrivedAt),
      queueMs: ms(this.queueMs),
      durationMs: ms(durationMs),
      outcome,
      adequate: this.adequate,
    });
  }

  /**
   * Close the connection without finishing the response (a cut, an outage, the end of a hang).
   * `flush`: what was written still goes out first (FIN after the data, as a proxy that gives up
   * mid-body); otherwise the socket is destroyed at once.
   */
  cut(fault: string, tokensSent?: number, flush = false): void {
    if (this.done) return;
    if (tokensSent !== undefined) this.tokensSent = tokensSent;
    this.end('error', fault);
    const socket = this.res.socket;
    if (flush && socket && !socket.destroyed) {
      socket.end();
      setTimeout(() => socket.destroy(), 2000).unref();
    } else this.res.destroy();
  }
}

/** How many of the sorted due times are ≤ t. */
function countDue(offsets: Float64Array, t: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `x-stormlab-attempt: 2` → 2; absent or not a positive integer → null. */
export function parseAttempt(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  return Number(v);
}
