/**
 * Targets skipped until a given time, after a 429 whose Retry-After asked for a wait (see decide.ts: fail over at
 * once and cool the target down, never hammer it). Separate from the breaker: a rate limit is not a fault.
 *
 * A second 429 can only lengthen a cool-down, never shorten it (LiteLLM kept the first, shorter deadline when a
 * deployment was cooled again, and sent traffic back into a 60 s rate limit after 1 s). A wait is capped at
 * `maxMs`, so an upstream answering `Retry-After: 86400` does not take a target out for a day.
 * Entries are dropped once they expire; memory is bounded by the number of targets. Time is passed in.
 */
export class CoolDowns {
  readonly #until = new Map<string, number>();
  readonly #maxMs: number;

  constructor(maxMs: number) {
    if (!(maxMs > 0)) throw new RangeError(`cool-down cap must be > 0 ms, got ${maxMs}`);
    this.#maxMs = maxMs;
  }

  /** skip `key` for `forMs` from `now` (capped), unless it is already skipped for longer */
  coolDown(key: string, forMs: number, now: number): void {
    if (!(forMs > 0)) return;
    const until = now + Math.min(forMs, this.#maxMs);
    if (until > (this.#until.get(key) ?? Number.NEGATIVE_INFINITY)) this.#until.set(key, until);
  }

  /** ms until `key` may be used again; undefined when it is not cooling down */
  remainingMs(key: string, now: number): number | undefined {
    const until = this.#until.get(key);
    if (until === undefined) return undefined;
    if (until <= now) {
      this.#until.delete(key);
      return undefined;
    }
    return until - now;
  }

  isCooling(key: string, now: number): boolean {
    return this.remainingMs(key, now) !== undefined;
  }

  /**
   * When every one of `keys` is cooling down: ms until the first comes back (for the gateway's own 429
   * `Retry-After`). Undefined when at least one is usable now.
   */
  soonestMs(keys: Iterable<string>, now: number): number | undefined {
    let soonest: number | undefined;
    for (const key of keys) {
      const ms = this.remainingMs(key, now);
      if (ms === undefined) return undefined;
      soonest = soonest === undefined ? ms : Math.min(soonest, ms);
    }
    return soonest;
  }
}
