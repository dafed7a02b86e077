/**
 * scripts/bin/exit-with-parent.js, the wrapper k6 runs under: real processes throughout (the
 * wrapped command is `sleep` or a small node program).
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive } from './service.js';

const GUARD = fileURLToPath(new URL('../bin/exit-with-parent.js', import.meta.url));

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('exit-with-parent', () => {
  it('passes SIGINT on to the command and exits with its code (k6 exits 105 when a signal stops it)', async () => {
    const program = "process.on('SIGINT', () => { console.log('stopping'); process.exit(105); }); console.log('ready'); setInterval(() => {}, 1000);";
    const guard = fork(GUARD, [process.execPath, '-e', program], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    guard.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => guard.once('exit', (code) => r(code)));
    await waitFor('the command to start', () => out.includes('ready'), 10_000);
    guard.kill('SIGINT');
    expect(await exited).toBe(105);
    expect(out).toContain('stopping');
  });

  it('stops the command when its parent dies, even by SIGKILL', async () => {
    const parentCode = `
      import { fork } from 'node:child_process';
      const g = fork(${JSON.stringify(GUARD)}, ['sleep', '30'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true, execArgv: [] });
      g.once('spawn', () => console.log(g.pid));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', parentCode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('the guard to start', () => /\d+\n/.test(out), 10_000);
      const guardPid = Number(out.trim());
      await waitFor('sleep to start', () => childrenOf(guardPid).length > 0, 10_000);
      const sleepPid = childrenOf(guardPid)[0]!;
      expect(alive(sleepPid)).toBe(true);
      parent.kill('SIGKILL');
      await waitFor('sleep and the guard to end', () => !alive(sleepPid) && !alive(guardPid), 8000);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
