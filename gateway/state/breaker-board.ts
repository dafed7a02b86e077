/**
 * Breaker state shared through Redis, off the hot path. Each instance publishes its breakers'
 * own moves to open (with the wall-clock time the cool-down ends) and to closed (probes
 * succeeded) into one Redis hash, field = target key; every `breakerSyncMs` it reads the hash
 * and adopts the other instances' newer moves into its local breakers. Requests only ever read
 * the local breaker, so a breaker check never waits on Redis. An instance that starts (or
 * restarts) reads the hash before serving, so it begins with the targets others found down.
 * Records are ordered by wall-clock time: instances' clocks are assumed to agree within the
 * sync interval.
 */
import { randomUUID } from 'node:crypto';
import type { BreakerState } from '../domain/types.js';
import type { CircuitBreaker } from '../resilience/breaker.js';
import type { RedisClient } from './redis-client.js';
import type { RedisLink } from './redis-link.js';

interface BreakerRecord {
  state: 'open' | 'closed';
  /** epoch ms the cool-down ends (open), else 0 */
  until: number;
  /** epoch ms of the move */
  at: number;
  /** the instance that made it */
  by: string;
}

function parse(json: string): BreakerRecord | undefined {
  try {
    const r = JSON.parse(json) as Partial<BreakerRecord>;
    const typed = typeof r.until === 'number' && typeof r.at === 'number' && typeof r.by === 'string';
    const ok = (r.state === 'open' || r.state === 'closed') && typed;
    return ok ? (r as BreakerRecord) : undefined;
  } catch {
    return undefined;
  }
}

export class BreakerBoard {
  readonly instance = randomUUID();
  readonly #breakers = new Map<string, CircuitBreaker>();
  /** the newest move per target this instance made or adopted (epoch ms) */
  readonly #seen = new Map<string, number>();
  readonly #hash: string;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly link: RedisLink,
    private readonly syncMs: number,
  ) {
    this.#hash = `${prefix}breakers`;
    // back on Redis: say which targets this instance found down while it could not publish
    link.onChange((to) => {
      if (to !== 'redis') return;
      for (const [key, b] of this.#breakers) if (b.state === 'open') this.publish(key, 'open');
    });
  }

  track(key: string, breaker: CircuitBreaker): void {
    this.#breakers.set(key, breaker);
  }

  /** A local move (not one adopted from the board): published without waiting for Redis. */
  publish(key: string, to: BreakerState): void {
    const b = this.#breakers.get(key);
    if (!b || to === 'half-open' || !this.link.up) return;
    const at = Date.now();
    const until = to === 'open' ? at + b.waitMs(performance.now()) : 0;
    this.#seen.set(key, at);
    const rec: BreakerRecord = { state: to, until, at, by: this.instance };
    this.client.hset(this.#hash, key, JSON.stringify(rec)).catch((e: unknown) => this.link.failed(e));
  }

  /** Read the board and adopt the other instances' newer moves. */
  async sync(): Promise<void> {
    if (!this.link.up) return;
    let all: Record<string, string>;
    try {
      all = await this.client.hgetall(this.#hash);
    } catch (e) {
      this.link.failed(e);
      return;
    }
    const wall = Date.now();
    const mono = performance.now();
    for (const [key, json] of Object.entries(all)) {
      const b = this.#breakers.get(key);
      const rec = parse(json);
      if (!b || !rec || rec.by === this.instance || rec.at <= (this.#seen.get(key) ?? 0)) continue;
      this.#seen.set(key, rec.at);
      if (rec.state === 'open') b.adopt('open', rec.until - wall, mono);
      else b.adopt('closed', 0, mono);
    }
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sync(), this.syncMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
