/**
 * Whether shared state is on Redis right now. The first failed command or lost connection
 * moves the instance to in-process state at once (later requests do not wait on Redis); while
 * away, a probe checks every `probeMs` whether Redis answers again, and the instance returns
 * only after every part that kept state locally (the stores' `Rejoin`) has handed it over.
 */
import type { RedisClient } from './redis-client.js';

export type Backend = 'redis' | 'memory';

/** A part that keeps state locally while Redis is away and hands it over on the way back. */
export interface Rejoin {
  /** nothing left to hand over (checked synchronously right before switching back) */
  idle(): boolean;
  /** hand what was done locally over to Redis; throws when Redis fails again */
  flush(): Promise<void>;
}

export interface LinkEvents {
  /** the backend changed: `why` says what happened (for the one log line) */
  changed(to: Backend, why: string): void;
}

/** Rounds of hand-over before giving up until the next probe (requests keep adding local state meanwhile). */
const MAX_FLUSH_ROUNDS = 5;

export class RedisLink {
  #up = false;
  #probe: NodeJS.Timeout | undefined;
  #rejoining = false;
  #closed = false;
  #started = false;
  readonly #parts: Rejoin[] = [];
  readonly #listeners: Array<(to: Backend) => void> = [];

  constructor(
    readonly client: RedisClient,
    private readonly probeMs: number,
    private readonly events: LinkEvents,
  ) {
    client.on('error', () => undefined); // every failure is seen where it matters: a command or `close`
    client.on('close', () => this.down('the connection to Redis was lost'));
    client.on('ready', () => {
      if (this.#started) void this.rejoin();
    });
  }

  get up(): boolean {
    return this.#up;
  }

  get backend(): Backend {
    return this.#up ? 'redis' : 'memory';
  }

  /** A part that must hand local state over before the instance returns to Redis. */
  register(part: Rejoin): void {
    this.#parts.push(part);
  }

  /** Called synchronously on every switch (after the hand-over on the way back). */
  onChange(fn: (to: Backend) => void): void {
    this.#listeners.push(fn);
  }

  /** Start: on Redis when `connected`, else on in-process state, probing. */
  start(connected: boolean, why = 'Redis did not answer at start-up'): void {
    this.#started = true;
    if (connected && this.client.status === 'ready') this.#switch(true, 'connected at start-up');
    else this.down(why, true);
  }

  /** A command failed or the connection went: serve from in-process state until Redis is back. */
  down(why: string, force = false): void {
    if (this.#closed || (!this.#up && !force)) return;
    this.#switch(false, why);
    this.#probe ??= setInterval(() => void this.#tryBack(), this.probeMs);
    this.#probe.unref();
  }

  /** A failed command: goes down with the error's message. */
  failed(e: unknown): void {
    this.down(`a Redis command failed (${e instanceof Error ? e.message : String(e)})`);
  }

  async #tryBack(): Promise<void> {
    if (this.#up || this.#rejoining || this.#closed) return;
    if (this.client.status !== 'ready') return; // ioredis is reconnecting on its own; `ready` brings us back
    this.#rejoining = true; // one probe at a time (a ping may take the whole command timeout)
    try {
      await this.client.ping();
    } catch {
      return;
    } finally {
      this.#rejoining = false;
    }
    await this.rejoin();
  }

  /** Hand local state over, then switch back to Redis (no await between the last check and the switch). */
  async rejoin(): Promise<void> {
    if (this.#up || this.#rejoining || this.#closed) return;
    this.#rejoining = true;
    try {
      for (let round = 0; round < MAX_FLUSH_ROUNDS; round++) {
        for (const p of this.#parts) await p.flush();
        if (this.#parts.every((p) => p.idle())) {
          if (this.client.status !== 'ready') return;
          this.#switch(true, 'Redis answers again');
          return;
        }
      }
    } catch {
      // Redis failed again during the hand-over: stay local, the probe tries later
    } finally {
      this.#rejoining = false;
    }
  }

  #switch(up: boolean, why: string): void {
    const changed = this.#up !== up;
    this.#up = up;
    if (up && this.#probe) {
      clearInterval(this.#probe);
      this.#probe = undefined;
    }
    for (const fn of this.#listeners) fn(this.backend);
    if (changed || !up) this.events.changed(this.backend, why);
  }

  close(): void {
    this.#closed = true;
    this.#up = false;
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = undefined;
  }
}
