/** Counts requests in progress so shutdown can wait for them (bounded) before cutting connections. */
export class InFlight {
  private n = 0;
  private waiters: Array<() => void> = [];

  get count(): number {
    return this.n;
  }

  enter(): void {
    this.n += 1;
  }

  leave(): void {
    this.n = Math.max(0, this.n - 1);
    if (this.n === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolve when nothing is in flight, or after `maxMs`, whichever comes first. */
  async idle(maxMs: number): Promise<void> {
    if (this.n === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
