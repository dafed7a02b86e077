/**
 * What the bench processes say to the orchestrator over IPC: a server child announces its URL,
 * reports the CPU time its process has used so far (process.cpuUsage, µs) when asked, and closes.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { nextMessage } from '../../core/child-message.js';

/** The client model name the bench asks for; the upstream answers with it. */
export const BENCH_MODEL = 'bench-model';
/** The virtual key the gateway child is configured with. */
export const BENCH_KEY = 'sk-stormlab-bench-key';

export type BenchMessage =
  | { type: 'ready'; url: string }
  | { type: 'cpu' }
  | { type: 'cpu-used'; us: number }
  | { type: 'close' }
  | { type: 'closed' };

/** Environment variable naming a file: the child samples its own CPU profile from ready to close (inspector). */
export const PROFILE_ENV = 'STORMLAB_BENCH_CPU_PROFILE';
/** µs between CPU profile samples (`node --cpu-prof` takes 1000) */
const PROFILE_INTERVAL_US = 250;

/** Start sampling this process's CPU profile; the returned function stops and writes it. */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * In a child: announce `url`, answer CPU questions, close on request (then exit). With
 * PROFILE_ENV set, the process's CPU is profiled from here (module loading left out) to close.
 */
export async function serveBench(url: string, close: () => Promise<void>): Promise<void> {
  const file = process.env[PROFILE_ENV];
  const stopProfile = file ? await startProfile(file) : undefined;
  const send = (m: BenchMessage): void => void process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as BenchMessage;
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu-used', us: u.user + u.system });
    } else if (m.type === 'close') {
      void close()
        .catch(() => undefined)
        .then(() => stopProfile?.())
        .then(() => {
          send({ type: 'closed' });
          // let the IPC message go out before exiting
          setImmediate(() => process.exit(0));
        });
    }
  });
  // the orchestrator went away: do not linger
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
}

/** The port of a listening server's address. */
export function portOf(address: unknown): number {
  if (typeof address === 'object' && address !== null && 'port' in address) return Number(address.port);
  throw new Error(`not listening on a TCP port (${String(address)})`);
}

/** In the parent: the CPU µs a bench child has used so far (user + system). */
export async function cpuUs(c: ChildProcess): Promise<number> {
  const reply = nextMessage<Extract<BenchMessage, { type: 'cpu-used' }>>(c, 'cpu-used');
  c.send({ type: 'cpu' } satisfies BenchMessage);
  return (await reply).us;
}
