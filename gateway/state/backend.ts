/**
 * Where an instance keeps shared state, built from `redis:` in the config: in process (no
 * `redis`), or Redis behind the fallback wrappers — counters and buckets (`store`), the exact
 * cache (`exactStore`) and breaker moves (`board`) — with the metric and the log line that say
 * which backend is serving.
 */
import type { RedisConfig } from '../config/redis.js';
import type { ExactStore } from '../cache/exact-store.js';
import { FallbackExactStore, RedisExactStore } from '../cache/redis-exact-store.js';
import type { Registry } from '../telemetry/registry.js';
import { BreakerBoard } from './breaker-board.js';
import { FallbackStore } from './fallback.js';
import { MemoryStore } from './memory.js';
import { connectWithin, createRedisClient } from './redis-client.js';
import { RedisLink, type Backend } from './redis-link.js';
import { RedisStore } from './redis.js';
import type { SharedStore } from './store.js';

/** The part of a pino/fastify logger the backend writes to. */
export interface StateLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface StateBackend {
  readonly store: SharedStore;
  /** the exact cache's shared store (undefined: in process) */
  exactStore(maxEntries: number): ExactStore | undefined;
  /** shared breaker moves (undefined: each instance's breakers are its own) */
  readonly board: BreakerBoard | undefined;
  close(): Promise<void>;
}

const BACKENDS: readonly Backend[] = ['redis', 'memory'];

export async function createStateBackend(
  cfg: RedisConfig | undefined,
  registry: Registry,
  log: StateLog,
): Promise<StateBackend> {
  const p = 'stormlab_gateway_';
  const gauge = registry.gauge(
    `${p}state_backend`,
    'Which backend holds shared state now (1): redis, or memory (in process, also while Redis is away).',
    ['backend'],
  );
  const show = (b: Backend): void => BACKENDS.forEach((x) => gauge.set({ backend: x }, x === b ? 1 : 0));
  if (!cfg) {
    show('memory');
    const store = new MemoryStore();
    return { store, exactStore: () => undefined, board: undefined, close: () => store.close() };
  }
  const fallbacks = registry.counter(`${p}state_fallbacks_total`, 'Times shared state fell back from Redis to in process.');
  const client = createRedisClient(cfg);
  const where = new URL(cfg.url).host;
  const link = new RedisLink(client, cfg.probeMs, {
    changed: (to, why) => {
      show(to);
      if (to === 'memory') {
        fallbacks.inc();
        const msg = `shared state: Redis at ${where} is unavailable (${why}); serving from in-process state`;
        log.warn({ state: 'memory', redis: where, reason: why }, msg);
      } else {
        log.info({ state: 'redis', redis: where, reason: why }, `shared state: on Redis at ${where} (${why})`);
      }
    },
  });
  const store = new FallbackStore(new RedisStore(client, cfg.keyPrefix), link);
  const board = new BreakerBoard(client, cfg.keyPrefix, link, cfg.breakerSyncMs);
  link.start(await connectWithin(client, cfg.connectTimeoutMs));
  return {
    store,
    exactStore: (max) => new FallbackExactStore(new RedisExactStore(client, cfg.keyPrefix, max), link, max),
    board,
    close: async () => {
      board.stop();
      link.close();
      await store.close();
    },
  };
}
