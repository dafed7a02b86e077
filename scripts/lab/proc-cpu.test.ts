import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procCpuSeconds } from './proc-cpu.js';

describe.runIf(existsSync('/proc/self/stat'))('process CPU from /proc', () => {
  it('counts this process working, and is null for no process', () => {
    const before = procCpuSeconds(process.pid) as number;
    expect(before).toBeGreaterThan(0);
    // spin until the kernel has charged this process 50 ms more (bounded: a busy machine may lend few cycles)
    const until = Date.now() + 10_000;
    let now = before;
    let x = 0;
    while (now - before < 0.05 && Date.now() < until) {
      for (let i = 0; i < 1e5; i++) x += Math.sqrt(x + i);
      now = procCpuSeconds(process.pid) as number;
    }
    expect(x).toBeGreaterThan(0);
    expect(now - before).toBeGreaterThanOrEqual(0.05);
    expect(procCpuSeconds(undefined)).toBeNull();
    expect(procCpuSeconds(2 ** 22 + 7)).toBeNull();
  });
});
