/**
 * The capacity of one endpoint's model (fleet-schema CapacitySchema): calls in service, a FIFO
 * queue past maxConcurrency, and the inter-token slowdown past the knee. Event-driven: a call
 * waiting for a slot is admitted when one frees, with no timer.
 */
import type { Capacity } from '../fleet-schema.js';

/** Called when the call gets its slot: ms it waited, and its ITL multiplier from the load then. */
export type Admit = (queueMs: number, itlFactor: number) => void;

interface Waiter {
  since: number;
  admit: Admit;
  gone: () => boolean;
}

export class CapacityPool {
  private inService = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;

  constructor(private readonly cfg: Capacity) {}

  get active(): number {
    return this.inService;
  }
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** ITL multiplier when `n` calls are in service. */
  itlFactor(n: number): number {
    return n <= this.cfg.concurrency ? 1 : Math.pow(n / this.cfg.concurrency, this.cfg.itlSlowdown);
  }

  private get free(): boolean {
    return this.inService < this.cfg.maxConcurrency && this.waiting === 0;
  }

  /** A call arriving now would be refused: no free slot and the queue is at maxQueue. */
  wouldRefuse(): boolean {
    return !this.free && this.cfg.maxQueue !== undefined && this.waiting >= this.cfg.maxQueue;
  }

  /**
   * Take a slot: `admit` runs now ('admitted') or when a slot frees ('queued'). The caller checks
   * wouldRefuse() first and calls `release` once when an admitted call ends. `gone` tells that a
   * queued call was abandoned (it is skipped).
   */
  enter(now: number, admit: Admit, gone: () => boolean): 'admitted' | 'queued' {
    if (this.free) {
      this.inService++;
      admit(0, this.itlFactor(this.inService));
      return 'admitted';
    }
    this.queue.push({ since: now, admit, gone });
    return 'queued';
  }

  /** A call in service ended: admit the next one still waiting. */
  release(now: number): void {
    this.inService--;
    while (this.inService < this.cfg.maxConcurrency && this.head < this.queue.length) {
      const w = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Waiter;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (w.gone()) continue;
      this.inService++;
      w.admit(now - w.since, this.itlFactor(this.inService));
    }
  }
}
