import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli.js';

export const BIN = fileURLToPath(new URL('../../scripts/bin/stormlab.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Sink {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

/** Run the CLI in this process (fast; for argument and error handling). */
export async function cli(...argv: string[]): Promise<CliResult> {
  const out = new Sink();
  const err = new Sink();
  const code = await main(argv, { stdout: out as unknown as NodeJS.WritableStream, stderr: err as unknown as NodeJS.WritableStream });
  return { code, stdout: out.text, stderr: err.text };
}

/** Run the real `stormlab` executable as a child process, bounded by `timeoutMs`. */
export function cliProcess(argv: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stormlab ${argv.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
