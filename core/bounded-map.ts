/**
 * A Map holding at most `max` entries, oldest first out: `set` makes its key the newest (a held
 * key moves to the end) and evicts the oldest beyond `max`; `shift` takes the oldest out.
 *
 * The oldest is found by one keys iterator kept across calls. `map.keys().next()` made anew for
 * each eviction walks every slot the evicted entries left empty at the front of V8's hash table
 * until the table is next rebuilt: at 100,000 entries that made each eviction cost ~38 µs, against
 * ~2 µs for a set with its eviction here. A Map's iterator skips deleted entries and follows the
 * table across rebuilds; as only `shift` moves it, and takes out what it passes, no entry is ever
 * left behind it.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  #order: IterableIterator<K> | undefined;

  constructor(readonly max: number = Number.POSITIVE_INFINITY) {
    super();
  }

  /** Set `key` as the newest entry, then evict the oldest while more than `max` are held. */
  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    while (this.size > this.max) this.shift();
    return this;
  }

  /** Take the oldest entry out; its key (undefined when empty). */
  shift(): K | undefined {
    if (this.size === 0) return undefined;
    this.#order ??= this.keys();
    let r = this.#order.next();
    if (r.done) {
      // the iterator had run out before entries were added again: start from the front
      this.#order = this.keys();
      r = this.#order.next();
    }
    if (r.done) return undefined;
    this.delete(r.value);
    return r.value;
  }
}
