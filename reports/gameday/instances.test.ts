import { describe, expect, it } from 'vitest';
import type { InstanceEvent } from './instance-events.js';
import { killWindows, measureInstanceKills } from './instances.js';
import { measureGameday } from './measure.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

const PATH = '/v1/chat/completions';
const lost = (t: number, instance: number, started: number, phase: 'before-response' | 'mid-response'): InstanceEvent => ({
  time: at(t),
  event: 'lost',
  instance,
  startedAt: at(started),
  phase,
  path: PATH,
  error: phase === 'before-response' ? 'ECONNRESET' : 'closed',
});

const events: InstanceEvent[] = [
  { time: at(0), event: 'start', instance: 1, url: 'http://127.0.0.1:1' },
  { time: at(0), event: 'start', instance: 2, url: 'http://127.0.0.1:2' },
  { time: at(10), exitedAt: at(10.1), event: 'kill', instance: 2, inFlight: 3 },
  lost(10.05, 2, 9, 'before-response'),
  lost(10.06, 2, 8.5, 'mid-response'),
  // a loss on the other instance is not the kill's
  lost(12, 1, 11, 'mid-response'),
  { time: at(21.5), event: 'restart', instance: 2, url: 'http://127.0.0.1:2', spawnedAt: at(20) },
  { time: at(30), event: 'kill', instance: 1, inFlight: 0 },
];

describe('instance kills in a game day', () => {
  it('makes each kill a fault window from the process gone until it served again (or the run ended)', () => {
    const window = (n: number, from: number, to: number) => ({
      id: `kill-instance-${n}@${at(from)}`,
      fault: 'kill-instance',
      scope: { instance: String(n) },
      startMs: T0 + from * 1000,
      endMs: T0 + to * 1000,
    });
    const [first, second] = killWindows(events, T0, T0 + 40_000);
    // gone at the first request the front lost on it (10.05 s), before the CLI saw it exit (10.1 s)
    expect(first).toEqual({ ...window(2, 10, 21.5), startMs: T0 + 10_050 });
    expect(second).toEqual(window(1, 30, 40));
  });

  it('counts the requests lost in flight on the killed instance and times the restart', () => {
    const [first, second] = measureInstanceKills(events, T0);
    expect(first).toEqual({
      instance: 2,
      killedAtS: 10,
      inFlightAtKill: 3,
      lost: 2,
      lostBeforeResponse: 1,
      lostMidResponse: 1,
      servingAgainAtS: 21.5,
      downMs: 11_500,
      restartMs: 1_500,
    });
    expect(second).toMatchObject({ instance: 1, lost: 0, servingAgainAtS: null, restartMs: null });
  });

  it('gives the expectations requests_lost_in_flight and time_to_restart (never, when one stayed down)', () => {
    const alerts = { available: false, rules: [], firings: [] };
    const inputs = { runStartMs: T0, runEndMs: T0 + 40_000, requests: [], calls: [], faults: [], alerts };
    const m = measureGameday({ ...inputs, instances: events.slice(0, 7) }, { availability: 0.99 });
    expect(m.values.requests_lost_in_flight).toBe(2);
    expect(m.values.time_to_restart).toBe(1_500);
    expect(measureGameday({ ...inputs, instances: events }, { availability: 0.99 }).values.time_to_restart).toBeNull();
    expect(measureGameday(inputs, { availability: 0.99 }).values.requests_lost_in_flight).toBeNull();
  });
});
