/**
 * Lab parts (the mock fleet, the gateway) run as real child processes of `stormlab run`:
 * each is the same CLI command a user can run alone, started with `--json` so that its first
 * stdout line tells where it listens.
 *
 * They never outlive the CLI. Each gets an IPC channel to its parent and leaves when that channel
 * closes (`untilInterrupted`), which happens however the parent ends, SIGKILL included. Each runs
 * in its own process group, so a Ctrl-C at the terminal reaches the CLI alone: the CLI lets the
 * load drain, then stops the children itself (see ./interrupt.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { StormlabError } from '../../core/errors.js';

const BIN = fileURLToPath(new URL('../bin/stormlab.js', import.meta.url));

export interface LabProcess<T> {
  label: string;
  child: ChildProcess;
  /** the parsed first JSON line the process printed */
  ready: T;
  /** stderr collected so far (bounded) */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Stop every lab process still running (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c, graceMs)));
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function spawnCli<T>(label: string, args: string[], readyTimeoutMs = 30_000): Promise<LabProcess<T>> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: process.env,
    detached: true, // its own process group: a terminal's Ctrl-C reaches the CLI alone
  });
  live.add(child);
  child.channel?.unref(); // the channel is the child's lifeline; it must not hold the CLI open
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err = (err + d).slice(-16_384);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? 128 : null));
    });
  });

  const stop = async (graceMs = 5000): Promise<void> => {
    await stopChild(child, graceMs);
    await exited;
  };

  return new Promise<LabProcess<T>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.close();
      void stop(1000);
      const tail = err.trim();
      reject(
        new StormlabError('SL_PROCESS_FAILED', `${label} ${why}${tail ? `:\n${tail.split('\n').map((l) => `    ${l}`).join('\n')}` : ''}`),
      );
    };
    const timer = setTimeout(() => fail(`did not report ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    lines.on('line', (line) => {
      const t = line.trim();
      if (!t.startsWith('{') && !t.startsWith('[')) return;
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      child.stdout!.resume();
      let ready: T;
      try {
        ready = JSON.parse(t) as T;
      } catch {
        settled = false;
        fail(`printed an unreadable ready line: ${t.slice(0, 200)}`);
        return;
      }
      resolve({ label, child, ready, stderr: () => err, stop });
    });
    void exited.then((code) => fail(`exited with code ${code} before it was ready`));
  });
}

/** How long a lab process whose parent is gone may take to close before it exits anyway. */
const ORPHAN_EXIT_MS = 5000;

/**
 * Resolve when SIGINT or SIGTERM arrives, or — for a process `stormlab run` started, which has an
 * IPC channel to it — when that parent is gone (for the long-running `mocks` and `gateway`
 * commands). Without a parent, should closing hang, the process exits after ORPHAN_EXIT_MS.
 */
export function untilInterrupted(): Promise<NodeJS.Signals | 'parent-gone'> {
  return new Promise((resolve) => {
    const done = (why: NodeJS.Signals | 'parent-gone'): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      process.off('disconnect', gone);
      resolve(why);
    };
    const on = (s: NodeJS.Signals): void => done(s);
    const gone = (): void => {
      setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
      done('parent-gone');
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
    if (process.channel) {
      process.channel.unref(); // the channel alone does not keep the process alive
      if (process.connected) process.once('disconnect', gone);
      else gone();
    }
  });
}
