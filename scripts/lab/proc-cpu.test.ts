import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procCpuSeconds } from './proc-cpu.js';

describe.runIf(existsSync('/proc/self/stat'))('process CPU from /proc', () => {
  it('counts this process working, and is null for no process', () => {
    const before = procCpuSeconds(process.pid);
    expect(before).not.toBeNull();
    const until = Date.now() + 300;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect((procCpuSeconds(process.pid) as number) - (before as number)).toBeGreaterThanOrEqual(0.1);
    expect(procCpuSeconds(undefined)).toBeNull();
    expect(procCpuSeconds(2 ** 22 + 7)).toBeNull();
  });
});
