import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StormlabError } from '../../core/errors.js';

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

/** `k6 run --out json=<samples> -e STORMLAB_TARGET=<url> <bundle>`; resolves with k6's exit code (99 = thresholds crossed). */
export function runK6(opts: { k6: string; bundle: string; samples: string; target: string; headers?: Record<string, string>; segment?: string }): Promise<number> {
  const args = ['run', '--quiet', '--out', `json=${opts.samples}`, '-e', `STORMLAB_TARGET=${opts.target}`];
  if (opts.segment) args.push('--execution-segment', opts.segment);
  if (opts.headers && Object.keys(opts.headers).length > 0) args.push('-e', `STORMLAB_HEADERS=${JSON.stringify(opts.headers)}`);
  args.push(opts.bundle);
  return new Promise((resolve, reject) => {
    const child = spawn(opts.k6, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
