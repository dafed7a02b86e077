/**
 * Counts over a sliding time window in constant memory: the window is cut into `buckets` equal slices and each
 * slice holds one count per field. A slice is reused (zeroed) when time moves past it, so the sum covers the
 * current partial slice plus the `buckets - 1` before it: between (buckets-1)/buckets and all of the window.
 * Time is passed in; a `now` earlier than one already seen is treated as that later time (clocks may step back).
 */
export class SlidingWindow<F extends string> {
  readonly #fields: readonly F[];
  readonly #bucketMs: number;
  readonly #buckets: number;
  /** the slice number (floor(now / bucketMs)) each bucket currently holds; -1 = never used */
  readonly #epochs: Float64Array;
  /** buckets × fields counts, bucket-major */
  readonly #counts: Float64Array;
  #latest = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, buckets: number, fields: readonly F[]) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) {
      throw new RangeError(`sliding window needs windowMs > 0 and integer buckets >= 1, got ${windowMs}, ${buckets}`);
    }
    this.#fields = fields;
    this.#buckets = buckets;
    this.#bucketMs = windowMs / buckets;
    this.#epochs = new Float64Array(buckets).fill(-1);
    this.#counts = new Float64Array(buckets * fields.length);
  }

  #epoch(now: number): number {
    this.#latest = Math.max(this.#latest, now);
    return Math.floor(this.#latest / this.#bucketMs);
  }

  add(field: F, now: number, n = 1): void {
    const epoch = this.#epoch(now);
    const b = epoch % this.#buckets;
    if (this.#epochs[b] !== epoch) {
      this.#epochs[b] = epoch;
      this.#counts.fill(0, b * this.#fields.length, (b + 1) * this.#fields.length);
    }
    const i = b * this.#fields.length + this.#fields.indexOf(field);
    this.#counts[i] = (this.#counts[i] ?? 0) + n;
  }

  /** the field's total over the window ending at `now` */
  sum(field: F, now: number): number {
    const epoch = this.#epoch(now);
    const f = this.#fields.indexOf(field);
    let total = 0;
    for (let b = 0; b < this.#buckets; b++) {
      const e = this.#epochs[b] ?? -1;
      if (e > epoch - this.#buckets && e <= epoch) total += this.#counts[b * this.#fields.length + f] ?? 0;
    }
    return total;
  }

  /** forget everything counted so far */
  clear(): void {
    this.#epochs.fill(-1);
    this.#counts.fill(0);
  }
}
