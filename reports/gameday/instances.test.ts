import { describe, expect, it } from 'vitest';
import type { InstanceEvent } from './instance-events.js';
import { killWindows, measureInstanceKills } from './instances.js';
import { measureGameday } from './measure.js';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

const events: InstanceEvent[] = [
  { time: at(0), event: 'start', instance: 1, url: 'http://127.0.0.1:1' },
  { time: at(0), event: 'start', instance: 2, url: 'http://127.0.0.1:2' },
  { time: at(10), event: 'kill', instance: 2, inFlight: 3 },
  { time: at(10.05), event: 'lost', instance: 2, startedAt: at(9), phase: 'before-response', path: '/v1/chat/completions', error: 'ECONNRESET' },
  { time: at(10.06), event: 'lost', instance: 2, startedAt: at(8.5), phase: 'mid-response', path: '/v1/chat/completions', error: 'closed' },
  // a loss on the other instance is not the kill's
  { time: at(12), event: 'lost', instance: 1, startedAt: at(11), phase: 'mid-response', path: '/v1/chat/completions', error: 'closed' },
  { time: at(21.5), event: 'restart', instance: 2, url: 'http://127.0.0.1:2', spawnedAt: at(20) },
  { time: at(30), event: 'kill', instance: 1, inFlight: 0 },
];

describe('instance kills in a game day', () => {
  it('makes each kill a fault window until the instance served again (or the run ended)', () => {
    expect(killWindows(events, T0, T0 + 40_000)).toEqual([
      { id: `kill-instance-2@${at(10)}`, fault: 'kill-instance', scope: { instance: '2' }, startMs: T0 + 10_000, endMs: T0 + 21_500 },
      { id: `kill-instance-1@${at(30)}`, fault: 'kill-instance', scope: { instance: '1' }, startMs: T0 + 30_000, endMs: T0 + 40_000 },
    ]);
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
    const inputs = { runStartMs: T0, runEndMs: T0 + 40_000, requests: [], calls: [], faults: [], alerts: { available: false, rules: [], firings: [] } };
    const m = measureGameday({ ...inputs, instances: events.slice(0, 7) }, { availability: 0.99 });
    expect(m.values.requests_lost_in_flight).toBe(2);
    expect(m.values.time_to_restart).toBe(1_500);
    expect(measureGameday({ ...inputs, instances: events }, { availability: 0.99 }).values.time_to_restart).toBeNull();
    expect(measureGameday(inputs, { availability: 0.99 }).values.requests_lost_in_flight).toBeNull();
  });
});
