import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT_ABORTED, EXIT_INTERRUPTED, InterruptController, unlessAborted } from './interrupt.js';

function controller(hardExitMs = 0) {
  const source = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const ctl = new InterruptController({ graceMs: 1500, source, log: (l) => lines.push(l), exit: (c) => exits.push(c), hardExitMs });
  return { ctl, source, lines, exits };
}

describe('InterruptController', () => {
  it('the first signal stops gracefully, the second aborts, a third exits at once', () => {
    const { ctl, source, lines, exits } = controller();
    expect(ctl.stop.aborted).toBe(false);
    expect(ctl.exitCode(99)).toBe(99);

    source.emit('SIGTERM');
    expect(ctl.stop.aborted).toBe(true);
    expect(ctl.abort.aborted).toBe(false);
    expect(ctl.first?.signal).toBe('SIGTERM');
    expect(ctl.first?.at).toBeInstanceOf(Date);
    expect(lines[0]).toMatch(/^SIGTERM: stopping — no new requests; those in flight get 1.5 s, then the report of what ran/);
    expect(ctl.exitCode(0)).toBe(EXIT_INTERRUPTED);

    source.emit('SIGINT');
    expect(ctl.abort.aborted).toBe(true);
    expect(ctl.first?.signal).toBe('SIGTERM');
    expect(lines[1]).toMatch(/aborting at once/);
    expect(ctl.exitCode(0)).toBe(EXIT_ABORTED);
    expect(exits).toEqual([]);

    source.emit('SIGINT');
    expect(exits).toEqual([EXIT_ABORTED]);
    expect([EXIT_INTERRUPTED, EXIT_ABORTED]).toEqual([105, 130]);
  });

  it('after the second signal, exits anyway if something still holds the process', async () => {
    const { source, exits } = controller(50);
    source.emit('SIGINT');
    source.emit('SIGINT');
    expect(exits).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(exits).toEqual([EXIT_ABORTED]);
  });

  it('dispose stops listening', () => {
    const { ctl, source } = controller();
    ctl.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
    source.emit('SIGINT');
    expect(ctl.stop.aborted).toBe(false);
  });
});

describe('unlessAborted', () => {
  it('passes the work through, or rejects as soon as the signal aborts', async () => {
    const ac = new AbortController();
    await expect(unlessAborted(Promise.resolve(7), ac.signal, () => new Error('cut'))).resolves.toBe(7);
    const never = new Promise<number>(() => {});
    const raced = unlessAborted(never, ac.signal, () => new Error('cut'));
    ac.abort();
    await expect(raced).rejects.toThrow('cut');
    await expect(unlessAborted(never, ac.signal, () => new Error('already'))).rejects.toThrow('already');
    await expect(unlessAborted(Promise.reject(new Error('own')), undefined, () => new Error('cut'))).rejects.toThrow('own');
  });
});
