import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('holds at most max entries, the oldest going first', () => {
    const m = new BoundedMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c', 'd', 'e'].entries()) m.set(k, i);
    expect([...m.keys()]).toEqual(['c', 'd', 'e']);
    expect(m.get('e')).toBe(4);
    expect(m.has('a')).toBe(false);
  });

  it('a key set again becomes the newest, so it outlives those set after it the first time', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1).set('b', 2).set('c', 3);
    m.set('a', 10);
    m.set('d', 4);
    expect([...m.entries()]).toEqual([
      ['c', 3],
      ['a', 10],
      ['d', 4],
    ]);
  });

  it('evicts in order across many rounds, deletes in between, and a clear', () => {
    const m = new BoundedMap<number, number>(100);
    for (let i = 0; i < 10_000; i++) {
      m.set(i, i);
      if (i % 7 === 0) m.delete(i - 50);
    }
    const held = [...m.keys()];
    expect(held).toHaveLength(100);
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(held.at(-1)).toBe(9999);
    m.clear();
    m.set(1, 1).set(2, 2);
    expect(m.shift()).toBe(1);
    expect([...m.keys()]).toEqual([2]);
  });

  it('shift takes the oldest out, and answers undefined when empty', () => {
    const m = new BoundedMap<string, number>();
    expect(m.shift()).toBeUndefined();
    m.set('x', 1).set('y', 2);
    m.delete('x');
    expect(m.shift()).toBe('y');
    expect(m.size).toBe(0);
    expect(m.shift()).toBeUndefined();
    m.set('z', 3);
    expect(m.shift()).toBe('z');
  });
});
