import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fdTableSize, reserveFds } from './fd-table.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe.runIf(process.platform === 'linux')('fd table reservation', () => {
  it('grows the descriptor table to hold the count asked for, once, and leaves no descriptor open', async () => {
    const before = openFds();
    const after = await reserveFds(1500);
    expect(after).toBeGreaterThanOrEqual(1500);
    expect(fdTableSize()).toBe(after);
    expect(openFds()).toBeLessThanOrEqual(before + 2); // the worker closed what it opened
    expect(await reserveFds(600)).toBe(after); // big enough already: nothing to do
    expect(await reserveFds(0)).toBe(after);
  });

  it('stays under the soft ulimit when asked for more', async () => {
    const limit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? Infinity);
    const size = await reserveFds(1e6);
    expect(size).not.toBeNull();
    if (Number.isFinite(limit)) expect(size!).toBeLessThan(2 * limit); // a power of two at or above the fds opened, all under the limit
  });
});
