import { fork } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StormlabError } from '../../core/errors.js';

/** k6 runs under this, so that it stops when the CLI ends, however it ends. */
const GUARD = fileURLToPath(new URL('../bin/exit-with-parent.js', import.meta.url));
/** k6's exit code for a test stopped by a signal (errext/exitcodes ExternalAbort). */
export const K6_EXTERNAL_ABORT = 105;

/** Absolute path of `k6` on PATH, or undefined. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, process.platform === 'win32' ? 'k6.exe' : 'k6');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function requireK6(): string {
  const k6 = findK6();
  if (!k6) {
    throw new StormlabError(
      'SL_K6_MISSING',
      'k6 is not on PATH. Install it (https://grafana.com/docs/k6/latest/set-up/install-k6/, e.g. `brew install k6`, ' +
        '`winget install k6`, or the grafana/k6 container image), or run with `--driver native`, which needs nothing else.',
    );
  }
  return k6;
}

export interface RunK6Options {
  k6: string;
  bundle: string;
  samples: string;
  target: string;
  headers?: Record<string, string>;
  segment?: string;
  /** first signal: passed on to k6 as SIGINT, which stops the test gracefully and writes what ran */
  stop?: AbortSignal;
  /** second signal: SIGINT again, which k6 takes as "abort at once" */
  abort?: AbortSignal;
}

/**
 * `k6 run --out json=<samples> -e STORMLAB_TARGET=<url> <bundle>`; resolves with k6's exit code
 * (99 = thresholds crossed, 105 = stopped by a signal). k6 runs in its own process group, so a
 * Ctrl-C at the terminal reaches it once, through `stop`, not twice (k6 would take the second as
 * an abort).
 */
export function runK6(opts: RunK6Options): Promise<number> {
  const args = ['run', '--quiet', '--out', `json=${opts.samples}`, '-e', `STORMLAB_TARGET=${opts.target}`];
  if (opts.segment) args.push('--execution-segment', opts.segment);
  if (opts.headers && Object.keys(opts.headers).length > 0) args.push('-e', `STORMLAB_HEADERS=${JSON.stringify(opts.headers)}`);
  args.push(opts.bundle);
  return new Promise((resolve, reject) => {
    const child = fork(GUARD, [opts.k6, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true, // its own process group: a terminal's Ctrl-C reaches it through `stop` only
      execArgv: [],
    });
    child.channel?.unref();
    const forward = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    const signals = [opts.stop, opts.abort].filter((s): s is AbortSignal => s !== undefined);
    for (const s of signals) {
      if (s.aborted) forward();
      else s.addEventListener('abort', forward, { once: true });
    }
    const cleanup = (): void => {
      for (const s of signals) s.removeEventListener('abort', forward);
    };
    child.once('error', (e) => {
      cleanup();
      reject(e);
    });
    child.once('exit', (code) => {
      cleanup();
      resolve(code ?? 1);
    });
  });
}
