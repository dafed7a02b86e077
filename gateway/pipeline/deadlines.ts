/**
 * Request deadlines on one timer per deadline length, not a Node timer per request: requests of
 * one route share their total time, so their deadlines come in nearly the order they are set. A
 * list per length keeps them sorted (a new one goes at the tail, or a step or two before it);
 * one unref'd timer waits for the earliest. Setting and cancelling a deadline is a few pointer
 * moves, where a Node timer costs an async resource, a libuv clock read and a timer list insert.
 * Most requests end long before their deadline: cancelling unlinks at once, so nothing is held.
 */

export interface Deadline {
  /** performance.now() at which `fire` runs */
  readonly at: number;
  /** stop waiting (no-op once fired or cancelled) */
  cancel(): void;
}

/** Node's longest timer; a later deadline is waited for in steps */
const MAX_DELAY_MS = 2 ** 31 - 1;

class Entry implements Deadline {
  prev: Entry | undefined = undefined;
  next: Entry | undefined = undefined;
  live = true;
  constructor(
    readonly at: number,
    readonly fire: () => void,
    private readonly list: DeadlineList,
  ) {}
  cancel(): void {
    if (this.live) this.list.remove(this);
  }
}

class DeadlineList {
  private head: Entry | undefined;
  private tail: Entry | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** when the timer fires (performance.now()) */
  private timerAt = Number.POSITIVE_INFINITY;

  add(at: number, fire: () => void): Entry {
    const e = new Entry(at, fire, this);
    let before = this.tail;
    while (before && before.at > at) before = before.prev;
    // after `before` (or first)
    e.prev = before;
    e.next = before ? before.next : this.head;
    if (e.next) e.next.prev = e;
    else this.tail = e;
    if (before) before.next = e;
    else this.head = e;
    if (this.head === e) this.arm();
    return e;
  }

  remove(e: Entry): void {
    e.live = false;
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
    // the timer stays: when it fires early it finds the new head and waits again
  }

  /** wait for the head, unless the timer already fires no later than it */
  private arm(now?: number): void {
    const head = this.head;
    if (!head || (this.timer && this.timerAt <= head.at)) return;
    clearTimeout(this.timer);
    this.timerAt = head.at;
    const wait = Math.ceil(head.at - (now ?? performance.now()));
    this.timer = setTimeout(() => this.run(), Math.min(MAX_DELAY_MS, Math.max(1, wait)));
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    try {
      while (this.head && this.head.at <= now) {
        const e = this.head;
        this.remove(e);
        e.fire();
      }
    } finally {
      // the rest still wait, whatever one of them threw
      this.arm();
    }
  }
}

const lists = new Map<number, DeadlineList>();

/** Run `fire` at `startedAt + totalMs` (performance.now() time) unless cancelled first. */
export function deadline(startedAt: number, totalMs: number, fire: () => void): Deadline {
  let list = lists.get(totalMs);
  if (!list) lists.set(totalMs, (list = new DeadlineList()));
  return list.add(startedAt + totalMs, fire);
}
