import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';

/** resolves once `n` runs were recorded (bounded: rejects after 2 s) */
function recorder(n: number): { log: Array<{ name: string; late: number }>; add: (name: string, at: number) => () => void; all: Promise<void> } {
  const log: Array<{ name: string; late: number }> = [];
  let done!: () => void;
  let fail!: (e: Error) => void;
  const all = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
  const timeout = setTimeout(() => fail(new Error(`only ${log.length} of ${n} ran: ${log.map((l) => l.name).join(',')}`)), 2000);
  return {
    log,
    all,
    add: (name, at) => () => {
      log.push({ name, late: performance.now() - at });
      if (log.length === n) {
        clearTimeout(timeout);
        setTimeout(done, 30); // anything that should not run gets a chance to show up
      }
    },
  };
}

describe.each([true, false])('scheduler (precise: %s)', (precise) => {
  it('runs timers in due-time order, ties in the order they were set, none before its due time', async () => {
    const s = new Scheduler({ precise });
    const t0 = performance.now();
    const r = recorder(6);
    const plan: Array<[string, number]> = [['c', 12], ['a', 3], ['past', -5], ['b1', 7], ['b2', 7], ['d', 20]];
    for (const [name, dt] of plan) s.at(t0 + dt, r.add(name, t0 + dt));
    expect(s.size).toBe(6);
    await r.all;
    expect(r.log.map((l) => l.name)).toEqual(['past', 'a', 'b1', 'b2', 'c', 'd']);
    for (const l of r.log) expect(l.late).toBeGreaterThanOrEqual(0);
    expect(s.size).toBe(0);
  });

  it('a cancelled timer never runs, also when cancelled by a timer due just before it', async () => {
    const s = new Scheduler({ precise });
    const t0 = performance.now();
    const r = recorder(2);
    const gone = s.at(t0 + 5, r.add('gone', t0 + 5));
    const victim = s.at(t0 + 8, r.add('victim', t0 + 8));
    s.at(t0 + 8, () => undefined); // keeps the heap busy around the victim
    s.at(t0 + 6, () => victim.cancel());
    s.at(t0 + 2, r.add('first', t0 + 2));
    s.at(t0 + 15, r.add('last', t0 + 15));
    gone.cancel();
    gone.cancel(); // idempotent
    expect(gone.pending).toBe(false);
    await r.all;
    expect(r.log.map((l) => l.name)).toEqual(['first', 'last']);
    expect(victim.pending).toBe(false);
  });

  it('a timer is reusable: set again from its own run, or moved before it ran', async () => {
    const s = new Scheduler({ precise });
    const t0 = performance.now();
    const r = recorder(4);
    let k = 0;
    const ticks = [2, 4, 6];
    const rec = (): void => r.add(`tick${k}`, t0 + ticks[k]!)();
    const t = s.timer(() => {
      rec();
      if (++k < ticks.length) t.set(t0 + ticks[k]!);
    });
    expect(t.pending).toBe(false);
    t.set(t0 + 50);
    t.set(t0 + ticks[0]!); // moved earlier: runs once, at the new time
    expect(t.at).toBe(t0 + ticks[0]!);
    const moved = s.at(t0 + 1, r.add('moved', t0 + 9));
    moved.set(t0 + 9); // moved later
    await r.all;
    expect(r.log.map((l) => l.name)).toEqual(['tick0', 'tick1', 'tick2', 'moved']);
    for (const l of r.log) expect(l.late).toBeGreaterThanOrEqual(0);
  });
});
