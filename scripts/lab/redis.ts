/**
 * A throwaway Redis for the gateway instances of one run: Debian's `redis-server`
 * (STORMLAB_REDIS_SERVER, else the first on PATH) on a free loopback port, with persistence off
 * (`--save '' --appendonly no`), so it holds only the run's shared state. It never outlives the
 * command: stop() ends it, an exit handler kills it, and on Linux `setpriv --pdeathsig` has the
 * kernel kill it if the CLI dies first (SIGKILL included).
 */
import { connect } from 'node:net';
import { StormlabError } from '../../core/errors.js';
import { findBinary, lastLines, onFreePort, spawnService, waitReady } from './service.js';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number | undefined;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

/** The redis-server binary: STORMLAB_REDIS_SERVER, else the first on PATH; null when there is none. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | null {
  return findBinary('redis-server', 'STORMLAB_REDIS_SERVER', env);
}

/** One PING over a fresh connection: true on +PONG. */
export function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString('latin1').startsWith('+PONG')));
  });
}

/** Start redis-server on a free port (a port taken between the probe and the bind is retried). */
export async function startRedis(opts: { binary?: string; readyTimeoutMs?: number } = {}): Promise<RunningRedis> {
  const binary = opts.binary ?? findRedisServer();
  if (!binary) {
    throw new StormlabError(
      'SL_PROCESS_FAILED',
      'several gateway instances share their state through Redis, and redis-server is not installed ' +
        '(Debian: `apt-get install redis-server`; or set STORMLAB_REDIS_SERVER=/path/to/redis-server)',
    );
  }
  const timeoutMs = opts.readyTimeoutMs ?? 10_000;
  const r = await onFreePort((port) => tryStart(binary, port, timeoutMs));
  if ('error' in r) throw new StormlabError('SL_PROCESS_FAILED', `redis-server did not start: ${r.error}`);
  return r;
}

/** The arguments of a redis-server on loopback `port` that keeps nothing on disk. */
export function redisArgs(port: number): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
}

async function tryStart(
  binary: string,
  port: number,
  readyTimeoutMs: number,
): Promise<RunningRedis | { error: string }> {
  const service = spawnService(binary, redisArgs(port), 4096);
  const state = await waitReady(service, () => ping(port), readyTimeoutMs, 50);
  if (state === 'exited') return { error: lastLines(service.log()) || `exited (${service.child.exitCode})` };
  if (state === 'timeout') {
    await service.stop(500);
    return { error: `no answer to PING on port ${port} within ${readyTimeoutMs} ms` };
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: service.child.pid, stop: service.stop };
}
