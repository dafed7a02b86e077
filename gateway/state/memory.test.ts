import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.js';
import { NEVER } from './store.js';

describe('MemoryStore', () => {
  it('adds atomically and expires a counter at its period end', async () => {
    let now = 1_000;
    const s = new MemoryStore(() => now);
    expect(await s.incrBy('b:x', 0.25, 2_000)).toBe(0.25);
    expect(await s.incrBy('b:x', 0.5, 2_000)).toBe(0.75);
    now = 2_000;
    expect(await s.get('b:x')).toBe(0);
    expect(await s.incrBy('b:x', 1, 3_000)).toBe(1);
  });

  it('reserves against a cap only while the result stays within it', async () => {
    const s = new MemoryStore(() => 0);
    expect(await s.incrByIfWithin('c', 0.6, 1, NEVER)).toEqual({ applied: true, value: 0.6 });
    expect(await s.incrByIfWithin('c', 0.6, 1, NEVER)).toEqual({ applied: false, value: 0.6 });
    expect(await s.incrByIfWithin('c', 0.4, 1, NEVER)).toEqual({ applied: true, value: 1 });
  });

  it('scans live counters by prefix', async () => {
    let now = 0;
    const s = new MemoryStore(() => now);
    await s.incrBy('spend:tenant:a', 1, NEVER);
    await s.incrBy('spend:tenant:b', 2, 10);
    await s.incrBy('budget:x', 3, NEVER);
    now = 20;
    expect((await s.scan('spend:')).map((e) => e.key)).toEqual(['spend:tenant:a']);
  });
});
