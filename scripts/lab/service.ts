/**
 * A child service (redis-server, prometheus) on a free loopback port: find its binary, spawn it,
 * wait until it answers, stop it. It never outlives us: an exit handler kills it, and on Linux
 * `setpriv --pdeathsig` has the kernel kill it if we die first (SIGKILL included). Used by the
 * lab (./redis.ts, ./prometheus.ts) and by the tests' own redis (test/helpers/redis.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A binary: the one `envVar` names (null when not executable), else the first `name` on PATH; null when none. */
export function findBinary(name: string, envVar: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env[envVar];
  if (set) return executable(set) ? set : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** A loopback port free at the time of asking (another process may take it before we bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A process that still runs (a zombie waiting to be reaped has ended). Linux /proc. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export interface Service {
  child: ChildProcess;
  /** resolves once the process has exited (or failed to spawn) */
  exited: Promise<void>;
  gone(): boolean;
  /** its stdout and stderr (and a spawn error), the last `keepBytes` of them */
  log(): string;
  /** SIGCONT (a paused one ends too), SIGTERM, SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function spawnService(binary: string, args: string[], keepBytes = 8192): Service {
  const guard = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
  const child = guard
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const keep = (d: Buffer | string): void => {
    out = (out + d.toString()).slice(-keepBytes);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    const end = (): void => {
      live.delete(child);
      resolve();
    };
    child.once('exit', end);
    child.once('error', (e) => {
      keep(e.message);
      end();
    });
  });
  let spawnFailed = false;
  child.once('error', () => (spawnFailed = true));
  const gone = (): boolean => spawnFailed || child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = 3000): Promise<void> => {
    if (gone()) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, exited, gone, log: () => out, stop };
}

/** The last lines of its log, on one line: why it did not start. */
export function lastLines(log: string, n = 3): string {
  return log.trim().split('\n').slice(-n).join(' / ');
}

/**
 * Poll `ready` every `intervalMs` until it answers true ('ready'), the service exits ('exited')
 * or `timeoutMs` passes ('timeout'; the service is left running, the caller stops it).
 */
export async function waitReady(
  service: Service,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.gone()) return 'exited';
    if (await ready()) return 'ready';
    if (service.gone()) return 'exited';
    if (Date.now() > deadline) return 'timeout';
    await sleep(intervalMs);
  }
}

/**
 * Start something on a free port, trying a few ports (one taken between the probe and the bind
 * fails the try). `start` answers the running thing, or `{ error }` to try the next port.
 */
export async function onFreePort<T extends object>(
  start: (port: number) => Promise<T | { error: string }>,
  attempts = 3,
): Promise<T | { error: string }> {
  let last: { error: string } = { error: 'not tried' };
  for (let attempt = 0; attempt < attempts; attempt++) {
    const r = await start(await freePort());
    if (!('error' in r)) return r;
    last = r;
  }
  return last;
}
