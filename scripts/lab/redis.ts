/**
 * A throwaway Redis for the gateway instances of one run: Debian's `redis-server`
 * (STORMLAB_REDIS_SERVER, else the first on PATH) on a free loopback port, with persistence off
 * (`--save '' --appendonly no`), so it holds only the run's shared state. It never outlives the
 * command: stop() ends it, an exit handler kills it, and on Linux `setpriv --pdeathsig` has the
 * kernel kill it if the CLI dies first (SIGKILL included).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StormlabError } from '../../core/errors.js';
import { freePort } from './prometheus.js';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number | undefined;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The redis-server binary: STORMLAB_REDIS_SERVER, else the first on PATH; null when there is none. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.STORMLAB_REDIS_SERVER;
  if (set) return executable(set) ? set : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return null;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

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
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const r = await tryStart(binary, port, opts.readyTimeoutMs ?? 10_000);
    if ('url' in r) return r;
    last = r.error;
  }
  throw new StormlabError('SL_PROCESS_FAILED', `redis-server did not start: ${last}`);
}

type Started = RunningRedis | { error: string };

async function tryStart(binary: string, port: number, readyTimeoutMs: number): Promise<Started> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  const guard = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
  const child = guard
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString('utf8')).slice(-4096);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('error', (e) => keep(Buffer.from(e.message)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = 3000): Promise<void> => {
    if (!gone()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await ping(port))) {
    if (gone()) return { error: out.trim().split('\n').slice(-3).join(' / ') || `exited (${child.exitCode})` };
    if (Date.now() > deadline) {
      await stop(500);
      return { error: `no answer to PING on port ${port} within ${readyTimeoutMs} ms` };
    }
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
}
