/**
 * A real redis-server for tests (Debian's package; STORMLAB_REDIS_SERVER names another binary):
 * started on a free loopback port with no persistence, stopped (or SIGKILLed to play an outage)
 * and restarted on the same port, so clients configured with its URL find it again.
 */
import { ping, redisArgs } from '../../scripts/lab/redis.js';
import { lastLines, onFreePort, spawnService, waitReady, type Service } from '../../scripts/lab/service.js';

const BINARY = process.env.STORMLAB_REDIS_SERVER || 'redis-server';
const READY_WITHIN_MS = 5_000;

export interface TestRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** SIGKILL: no goodbye to clients, as a crash */
  kill(): Promise<void>;
  /** start again on the same port (after kill or stop) */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that holds connections open and answers nothing */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

interface Running {
  port: number;
  service: Service;
}

async function startOn(port: number): Promise<Running | { error: string }> {
  const service = spawnService(BINARY, [...redisArgs(port), '--loglevel', 'warning']);
  const state = await waitReady(service, () => ping(port), READY_WITHIN_MS, 25);
  if (state === 'ready') return { port, service };
  service.child.kill('SIGKILL');
  const why = state === 'exited' ? `exited: ${lastLines(service.log()) || 'no output'}` : `no PONG within ${READY_WITHIN_MS} ms`;
  return { error: why };
}

/** Start a redis-server on a free port (a few ports are tried if another process takes one first). */
export async function startRedis(): Promise<TestRedis> {
  let running = await onFreePort(startOn);
  if ('error' in running) throw new Error(`redis-server (${BINARY}) did not start: ${running.error}`);
  const { port } = running;
  const signal = (name: NodeJS.Signals): void => void ('service' in running && running.service.child.kill(name));
  const stopWith = async (name: NodeJS.Signals): Promise<void> => {
    if ('error' in running) return;
    signal('SIGCONT');
    signal(name);
    await running.service.exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => stopWith('SIGKILL'),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    stop: () => stopWith('SIGTERM'),
    restart: async () => {
      await stopWith('SIGKILL');
      running = await startOn(port);
      if ('error' in running) throw new Error(`redis-server did not restart on port ${port}: ${running.error}`);
    },
  };
}
