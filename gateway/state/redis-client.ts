/**
 * The one ioredis connection an instance holds, set up never to hang a request: commands time
 * out after `commandTimeoutMs`, nothing queues while disconnected (a command then fails at
 * once), and a command cut by a lost connection is never resent on reconnect (an increment
 * replayed after the gateway fell back would count twice). ioredis keeps reconnecting on its own.
 */
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/redis.js';

export type RedisClient = Redis;

/** Reconnect delays: 100 ms, 200 ms, … at most 1 s apart. */
const reconnectDelay = (attempt: number): number => Math.min(100 * attempt, 1_000);

export function createRedisClient(cfg: Pick<RedisConfig, 'url' | 'connectTimeoutMs' | 'commandTimeoutMs'>): RedisClient {
  return new Redis(cfg.url, {
    lazyConnect: true,
    connectTimeout: cfg.connectTimeoutMs,
    commandTimeout: cfg.commandTimeoutMs,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
    // the gateway answers from in-process state while Redis is away; nothing to print
    showFriendlyErrorStack: false,
  });
}

/** Connect, waiting at most `ms`; true when the client is ready (it keeps trying in the background otherwise). */
export async function connectWithin(client: RedisClient, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    const connected = client.connect().then(
      () => true,
      () => false,
    );
    return await Promise.race([connected, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
