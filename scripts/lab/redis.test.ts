/**
 * The run's throwaway Redis: Debian's real redis-server on a free port, gone when stopped and
 * gone when the process that started it is SIGKILLed (never orphaned).
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findRedisServer, ping, startRedis } from './redis.js';
import { alive } from './service.js';

/** One inline command, its raw RESP answer. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(`${line}\r\n`));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString('latin1'));
    });
    s.once('error', reject);
  });
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(findRedisServer() === null)('the run Redis', () => {
  it('answers PING on its port, keeps nothing on disk, and is gone once stopped', async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.port)).toBe(true);
    expect(await command(redis.port, 'CONFIG GET save')).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
    expect(await command(redis.port, 'CONFIG GET appendonly')).toBe('*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
    await redis.stop();
    expect(alive(redis.pid!)).toBe(false);
    expect(await ping(redis.port)).toBe(false);
  });

  it('dies with the process that started it, even a SIGKILLed one', async () => {
    const script = fileURLToPath(new URL('./redis.ts', import.meta.url));
    const code = `const { startRedis } = await import(${JSON.stringify(script)}); const r = await startRedis();` +
      ' console.log(JSON.stringify({ pid: r.pid, port: r.port })); setInterval(() => {}, 1000);';
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: parent.stdout! });
    const line = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { pid, port } = JSON.parse(line) as { pid: number; port: number };
    expect(await ping(port)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor('redis-server to exit', () => !alive(pid), 5000);
    expect(await ping(port)).toBe(false);
  });
});
