/**
 * The pacer of one upstream (or one limit group) and model: its RPM/TPM buckets and a priority
 * queue. P0 goes straight through while the ceiling allows; P1 and P2 go straight through below
 * the queueing threshold when nobody as urgent waits, else they queue. The queue releases the most
 * urgent level first and FIFO within a level, as the buckets refill. Pure: time is passed in (ms);
 * the caller (gate.ts) sets the timers and answers timeouts.
 */
import type { PacingThresholds, UpstreamLimits } from '../config/pacing.js';
import { RateBucket } from './bucket.js';

/** 0 = P0 (real time, never queued) … 2 = P2 (batch) */
export type Level = 0 | 1 | 2;
export type QueuedLevel = 1 | 2;

export interface Ticket {
  readonly level: QueuedLevel;
  readonly tokens: number;
  /** when it joined the queue (ms) */
  readonly since: number;
  state: 'waiting' | 'admitted' | 'cancelled';
}

class Fifo {
  private items: Ticket[] = [];
  private head = 0;
  /** waiting tickets (cancelled ones still in `items` are not counted) */
  depth = 0;

  push(t: Ticket): void {
    this.items.push(t);
    this.depth += 1;
  }

  /** the oldest waiting ticket, dropping cancelled ones in front of it */
  peek(): Ticket | undefined {
    while (this.head < this.items.length) {
      const t = this.items[this.head] as Ticket;
      if (t.state === 'waiting') return t;
      this.head += 1;
    }
    this.compact();
    return undefined;
  }

  shift(): void {
    this.head += 1;
    this.depth -= 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}

export class Pacer {
  private readonly requests: RateBucket | undefined;
  private readonly tokens: RateBucket | undefined;
  private readonly queues: readonly [Fifo, Fifo] = [new Fifo(), new Fifo()];

  constructor(limits: UpstreamLimits, th: PacingThresholds, now: number) {
    this.requests = limits.rpm === undefined ? undefined : new RateBucket(limits.rpm, th, now);
    this.tokens = limits.tpm === undefined ? undefined : new RateBucket(limits.tpm, th, now);
  }

  depth(level: QueuedLevel): number {
    return this.fifo(level).depth;
  }

  private fifo(level: QueuedLevel): Fifo {
    return this.queues[level - 1] as Fifo;
  }

  /** ms until a request of `tokens` fits above the bucket level `stop` selects (0 = now) */
  private waitMs(tokens: number, direct: boolean, now: number): number {
    const r = this.requests ? this.requests.waitMs(1, direct ? this.requests.floor : 0, now) : 0;
    const t = this.tokens ? this.tokens.waitMs(tokens, direct ? this.tokens.floor : 0, now) : 0;
    return Math.max(r, t);
  }

  private take(tokens: number, now: number): void {
    this.requests?.take(1, now);
    this.tokens?.take(tokens, now);
  }

  /** Could a request of `level` be sent now (nothing taken)? */
  hasHeadroom(level: Level, tokens: number, now: number): boolean {
    if (level === 0) return this.waitMs(tokens, true, now) === 0;
    for (let l = 1 as QueuedLevel; l <= level; l++) if (this.fifo(l).depth > 0) return false;
    return this.waitMs(tokens, false, now) === 0;
  }

  /** Send now if the level may (see hasHeadroom), taking its share; false = it would have to queue. */
  tryNow(level: Level, tokens: number, now: number): boolean {
    if (!this.hasHeadroom(level, tokens, now)) return false;
    this.take(tokens, now);
    return true;
  }

  /** Count a request sent whatever the buckets say (P0 with nowhere better to go). */
  force(tokens: number, now: number): void {
    this.take(tokens, now);
  }

  enqueue(level: QueuedLevel, tokens: number, now: number): Ticket {
    const t: Ticket = { level, tokens, since: now, state: 'waiting' };
    this.fifo(level).push(t);
    return t;
  }

  /** A waiting ticket leaves the queue (its timeout, or the client went away). */
  cancel(t: Ticket): void {
    if (t.state !== 'waiting') return;
    t.state = 'cancelled';
    this.fifo(t.level).depth -= 1;
  }

  /**
   * Admit the queued tickets that fit now, most urgent level first and in order within it; a head
   * that does not fit holds back everything behind it and below it. `wakeAt`: when to poll again.
   */
  poll(now: number): { admitted: Ticket[]; wakeAt: number | undefined } {
    const admitted: Ticket[] = [];
    for (const q of this.queues) {
      for (let head = q.peek(); head; head = q.peek()) {
        const wait = this.waitMs(head.tokens, false, now);
        if (wait > 0) return { admitted, wakeAt: now + wait };
        this.take(head.tokens, now);
        head.state = 'admitted';
        q.shift();
        admitted.push(head);
      }
    }
    return { admitted, wakeAt: undefined };
  }

  /** ms until the queue at and above `level` has drained (a Retry-After estimate). */
  backlogMs(level: QueuedLevel, now: number): number {
    let count = 0;
    for (let l = 1 as QueuedLevel; l <= level; l++) count += this.fifo(l).depth;
    // the tokens ahead are not summed (cancelled tickets stay in the arrays): requests bound it well enough
    const r = this.requests ? this.requests.untilMs(count + 1, now) : 0;
    const t = this.tokens ? this.tokens.untilMs(this.tokens.cap, now) : 0;
    return Math.max(r, t);
  }
}
