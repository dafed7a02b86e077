/**
 * One upstream call from arrival to its ledger line. The call ends exactly once: completed,
 * answered with an error, abandoned by the client, or cut by an outage; whichever comes first
 * stops its timers and writes the line.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Price } from './fleet-schema.js';
import { costUsd, type Ledger, type LedgerOutcome } from './ledger.js';
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
  tokensIn = 0;
  price: Pick<Price, 'input' | 'output'> | undefined;
  /** due times of the output tokens (ms after arrival) once planned */
  offsets: Float64Array | undefined;
  pacer: Pacer | undefined;
  fault: string | null = null;
  done = false;

  constructor(
    private readonly site: CallSite,
    private readonly res: ServerResponse,
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
    if (fault) this.fault = fault;
    const durationMs = performance.now() - this.arrivedAt;
    const planned = this.offsets?.length ?? 0;
    const tokensOut = outcome === 'ok' ? planned : this.offsets ? countDue(this.offsets, durationMs) : 0;
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
      tokensOut,
      costUsd: this.price ? costUsd(this.price, this.tokensIn, tokensOut) : 0,
      durationMs: Math.round(durationMs * 1000) / 1000,
      outcome,
    });
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
