/**
 * The pacers at run time: one per upstream (or `limitGroup`) and model with a known RPM/TPM,
 * the timers that release their queues as the buckets refill, each queued request's timeout, and
 * the metrics. A target without known limits has no pacer and is never held.
 */
import type { PacingConfig, UpstreamLimits } from '../config/pacing.js';
import type { UpstreamConfig } from '../config/upstream.js';
import type { Target } from '../domain/types.js';
import type { PacingMetrics, QueueOutcome } from './metrics.js';
import { Pacer, type Level, type QueuedLevel, type Ticket } from './pacer.js';

export type WaitResult = { kind: 'admitted'; waitedMs: number } | { kind: 'timeout' | 'aborted'; waitedMs: number };

const LEVEL_NAMES = ['P0', 'P1', 'P2'] as const;

/** One pacer with its queue's timers. */
export class PacedUpstream {
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private readonly waiting = new Map<Ticket, (r: WaitResult) => void>();

  constructor(
    /** the upstream id, or the limit group the upstream shares its limits with */
    readonly name: string,
    readonly model: string,
    readonly pacer: Pacer,
    private readonly metrics: PacingMetrics,
  ) {}

  count(level: Level, outcome: QueueOutcome): void {
    this.metrics.outcome(this.name, this.model, LEVEL_NAMES[level], outcome);
  }

  private gauge(level: QueuedLevel): void {
    this.metrics.depth(this.name, this.model, LEVEL_NAMES[level], this.pacer.depth(level));
  }

  /**
   * Queue a request of `level` until the pacer admits it, `timeoutMs` passes, or `signal` fires.
   * The request's share is taken from the buckets on admission.
   */
  wait(level: QueuedLevel, tokens: number, timeoutMs: number, signal: AbortSignal): Promise<WaitResult> {
    const since = performance.now();
    const ticket = this.pacer.enqueue(level, tokens, since);
    this.gauge(level);
    return new Promise<WaitResult>((resolve) => {
      const finish = (r: WaitResult): void => {
        clearTimeout(expiry);
        signal.removeEventListener('abort', onAbort);
        this.waiting.delete(ticket);
        this.gauge(level);
        this.metrics.wait(this.name, this.model, LEVEL_NAMES[level], r.waitedMs / 1000);
        this.count(level, r.kind === 'admitted' ? 'admitted' : r.kind === 'timeout' ? 'timeout' : 'cancelled');
        resolve(r);
        // the head may have changed: what stood behind a timed-out ticket may fit now
        if (r.kind !== 'admitted') this.pump();
      };
      const leave = (kind: 'timeout' | 'aborted'): void => {
        this.pacer.cancel(ticket);
        finish({ kind, waitedMs: performance.now() - since });
      };
      const onAbort = (): void => leave('aborted');
      const expiry = setTimeout(() => leave('timeout'), Math.max(0, timeoutMs));
      this.waiting.set(ticket, (r) => finish(r));
      if (signal.aborted) return leave('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** Release what fits now and sleep until the head of the queue will fit. */
  private pump(): void {
    const now = performance.now();
    const { admitted, wakeAt } = this.pacer.poll(now);
    for (const t of admitted) this.waiting.get(t)?.({ kind: 'admitted', waitedMs: now - t.since });
    this.schedule(wakeAt);
  }

  private schedule(at: number | undefined): void {
    if (at === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer !== undefined && at >= this.wakeAt) return;
    clearTimeout(this.timer);
    this.wakeAt = at;
    // +1 ms: a timer may fire a hair early, and the bucket would still be short
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, at - performance.now()) + 1);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The limits an upstream declares for a model: its `modelLimits` entry, else its own rpm/tpm. */
type Declared = Pick<UpstreamConfig, 'rpm' | 'tpm' | 'modelLimits'>;

export function limitsFor(u: Declared, model: string): UpstreamLimits | undefined {
  const l = u.modelLimits[model] ?? { rpm: u.rpm, tpm: u.tpm };
  return l.rpm === undefined && l.tpm === undefined ? undefined : l;
}

export class PacingTable {
  /** one per limit group (or upstream) and model */
  private readonly pacers = new Map<string, PacedUpstream | null>();
  private readonly byTarget = new WeakMap<Target, PacedUpstream | null>();
  private readonly upstreams: ReadonlyMap<string, UpstreamConfig>;

  constructor(
    upstreams: readonly UpstreamConfig[],
    readonly config: PacingConfig,
    private readonly metrics: PacingMetrics,
  ) {
    this.upstreams = new Map(upstreams.map((u) => [u.id, u]));
  }

  /** The pacer a target's requests go through; undefined when its limits are not known. */
  for(target: Target): PacedUpstream | undefined {
    let p = this.byTarget.get(target);
    if (p === undefined) this.byTarget.set(target, (p = this.build(target) ?? null));
    return p ?? undefined;
  }

  private build(target: Target): PacedUpstream | undefined {
    const u = this.upstreams.get(target.upstream.id);
    if (!u) return undefined;
    const name = u.limitGroup ?? u.id;
    const key = `${name}\u0000${target.model}`;
    let p = this.pacers.get(key);
    if (p === undefined) {
      const limits = limitsFor(u, target.model);
      const pacer = limits ? new Pacer(limits, this.config.thresholds, performance.now()) : undefined;
      p = pacer ? new PacedUpstream(name, target.model, pacer, this.metrics) : null;
      this.pacers.set(key, p);
    }
    return p ?? undefined;
  }

  close(): void {
    for (const p of this.pacers.values()) p?.close();
  }
}
