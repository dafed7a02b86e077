import { describe, expect, it } from 'vitest';
import type { BreakerState } from '../domain/types.js';
import { BreakerConfigSchema, CircuitBreaker, type TransitionReason } from './breaker.js';

type Move = [BreakerState, BreakerState, TransitionReason];

function breaker(overrides: Record<string, unknown> = {}) {
  const moves: Move[] = [];
  const b = new CircuitBreaker(BreakerConfigSchema.parse(overrides), { onTransition: (...m) => void moves.push(m) });
  return { b, moves };
}

/** send one request through the breaker at `now` and record its outcome; false if it was refused */
function send(b: CircuitBreaker, ok: boolean, now: number): boolean {
  if (!b.tryAcquire(now)) return false;
  b.record(ok, now);
  return true;
}

/** trip a default breaker with consecutive failures at t */
function trip(b: CircuitBreaker, t: number): void {
  for (let i = 0; i < 5; i++) send(b, false, t + i);
  expect(b.state).toBe('open');
}

describe('circuit breaker: opening', () => {
  it('does not open on one failure, even as the only sample or past the minimum', () => {
    const { b } = breaker({ minRequests: 2, errorRate: 0.01 });
    send(b, false, 0);
    expect(b.state).toBe('closed');
    const d = breaker();
    for (let t = 0; t < 19; t++) send(d.b, true, t);
    send(d.b, false, 19); // 1 of 20 = 5 %: at the rate, but a single failure
    expect(d.b.state).toBe('closed');
    expect(d.b.tryAcquire(20)).toBe(true);
  });

  it('opens at the error rate once the window holds the minimum number of requests', () => {
    const { b, moves } = breaker();
    for (let t = 0; t < 9; t++) send(b, true, t * 1000);
    send(b, false, 9_000);
    send(b, false, 10_000); // 2 of 11 = 18 %, but under 20 requests
    expect(b.state).toBe('closed');
    for (let t = 11; t < 19; t++) send(b, true, t * 1000);
    send(b, false, 19_000); // 3 of 20 = 15 % ≥ 5 %
    expect(b.state).toBe('open');
    expect(moves).toEqual([['closed', 'open', 'error-rate']]);
    expect(b.tryAcquire(19_001)).toBe(false);
  });

  it('stays closed under the rate: 1 failure in 40 is 2.5 %', () => {
    const { b } = breaker();
    for (let t = 0; t < 39; t++) send(b, true, t);
    send(b, false, 39);
    send(b, true, 40);
    expect(b.state).toBe('closed');
  });

  it('counts failures spread among successes inside the window', () => {
    const { b } = breaker();
    for (let t = 0; t < 30; t++) send(b, t % 10 !== 0, t * 1000); // failures at 0 s, 10 s, 20 s: 3 of 30
    expect(b.state).toBe('open');
  });

  it('forgets failures that slid out of the window', () => {
    const { b } = breaker();
    send(b, false, 0);
    for (let t = 1; t < 20; t++) send(b, true, t);
    for (let t = 0; t < 20; t++) send(b, true, 70_000 + t);
    send(b, false, 70_020); // 2 failures, but the first is over a minute old
    expect(b.state).toBe('closed');
  });

  it('opens on consecutive failures before the minimum number of samples', () => {
    const { b, moves } = breaker();
    for (let i = 0; i < 4; i++) send(b, false, i);
    expect(b.state).toBe('closed');
    send(b, false, 4);
    expect(b.state).toBe('open');
    expect(moves).toEqual([['closed', 'open', 'consecutive-failures']]);
  });

  it('a success breaks the run of consecutive failures', () => {
    const { b } = breaker({ minRequests: 1000 });
    for (let i = 0; i < 20; i++) send(b, i % 4 === 3, i); // fail, fail, fail, ok, …
    expect(b.state).toBe('closed');
  });
});

describe('circuit breaker: open, half-open, closed', () => {
  it('refuses requests for the cool-down, then admits only N concurrent probes', () => {
    const { b, moves } = breaker();
    trip(b, 0);
    expect(b.openUntil).toBe(30_004);
    expect(b.tryAcquire(30_003)).toBe(false);
    expect(b.health(30_003)).toBe(0);
    expect([1, 2, 3, 4, 5].map(() => b.tryAcquire(30_004))).toEqual([true, true, true, false, false]);
    expect(b.state).toBe('half-open');
    expect(moves.at(-1)).toEqual(['open', 'half-open', 'cool-down-over']);
    b.release(); // a probe's client left: its slot is free again, without an outcome
    expect(b.tryAcquire(30_005)).toBe(true);
    expect(b.tryAcquire(30_005)).toBe(false);
  });

  it('canAcquire answers without taking a probe slot', () => {
    const { b } = breaker({ halfOpenProbes: 1 });
    trip(b, 0);
    expect(b.canAcquire(1_000)).toBe(false);
    expect(b.canAcquire(30_004)).toBe(true);
    expect(b.canAcquire(30_004)).toBe(true);
    expect(b.tryAcquire(30_004)).toBe(true);
    expect(b.canAcquire(30_004)).toBe(false);
  });

  it('closes after the configured probe successes and serves normally again', () => {
    const { b, moves } = breaker({ successesToClose: 2 });
    trip(b, 0);
    expect(b.tryAcquire(31_000)).toBe(true);
    expect(b.tryAcquire(31_000)).toBe(true);
    b.record(true, 31_100);
    expect(b.state).toBe('half-open');
    expect(b.health(31_100)).toBe(0.5);
    b.record(true, 31_200);
    expect(b.state).toBe('closed');
    expect(moves.at(-1)).toEqual(['half-open', 'closed', 'probes-succeeded']);
    expect(b.health(31_200)).toBe(1); // the failures that tripped it are forgotten
    for (let i = 0; i < 10; i++) expect(b.tryAcquire(31_300 + i)).toBe(true);
    send(b, false, 31_400); // one failure after closing does not re-open it
    expect(b.state).toBe('closed');
  });

  it('re-opens on a probe failure, for a fresh cool-down', () => {
    const { b, moves } = breaker();
    trip(b, 0);
    expect(b.tryAcquire(30_004)).toBe(true);
    expect(b.tryAcquire(30_004)).toBe(true);
    b.record(true, 30_100);
    b.record(false, 30_200);
    expect(b.state).toBe('open');
    expect(moves.at(-1)).toEqual(['half-open', 'open', 'probe-failed']);
    expect(b.tryAcquire(60_199)).toBe(false);
    expect(b.tryAcquire(60_200)).toBe(true);
  });

  it('grows the cool-down on repeated trips when configured, up to the cap, and resets after a quiet spell', () => {
    const { b } = breaker({ coolDownMultiplier: 2, maxCoolDownMs: 100_000 });
    trip(b, 0);
    const waits = [b.openUntil! - 4];
    let t = b.openUntil!;
    for (let i = 0; i < 3; i++) {
      expect(b.tryAcquire(t)).toBe(true);
      b.record(false, t);
      waits.push(b.openUntil! - t);
      t = b.openUntil!;
    }
    expect(waits).toEqual([30_000, 60_000, 100_000, 100_000]);
    for (let i = 0; i < 3; i++) expect(send(b, true, t + i)).toBe(true);
    expect(b.state).toBe('closed');
    trip(b, t + 120_000); // long after closing: back to the base cool-down
    expect(b.openUntil! - (t + 120_004)).toBe(30_000);
  });

  it('ignores outcomes of requests that were in flight when it opened', () => {
    const { b } = breaker();
    for (let i = 0; i < 6; i++) expect(b.tryAcquire(i)).toBe(true); // six requests go out
    for (let i = 0; i < 5; i++) b.record(false, 10 + i); // five fail: open
    b.record(true, 20); // the sixth ends while open: no effect
    expect(b.state).toBe('open');
    expect(b.tryAcquire(30_013)).toBe(false);
  });

  it('reports health as the share of recent successes', () => {
    const { b } = breaker({ consecutiveFailures: 10, minRequests: 1000 });
    expect(b.health(0)).toBe(1);
    for (let i = 0; i < 3; i++) send(b, true, i);
    send(b, false, 3);
    expect(b.health(4)).toBe(0.75);
  });
});

describe('circuit breaker: transitions adopted from another instance', () => {
  it('opens for the time left on the other instance, then half-opens and probes as usual', () => {
    const { b, moves } = breaker();
    b.adopt('open', 5_000, 100);
    expect(b.tryAcquire(4_000)).toBe(false);
    expect(b.waitMs(4_000)).toBe(1_100);
    expect(b.tryAcquire(5_100)).toBe(true);
    expect(moves).toEqual([
      ['closed', 'open', 'shared'],
      ['open', 'half-open', 'cool-down-over'],
    ]);
  });

  it('never shortens a longer local cool-down, ignores an open that is already over, and closes on a shared close', () => {
    const { b, moves } = breaker();
    b.adopt('open', 0, 0);
    expect(b.state).toBe('closed');
    trip(b, 0); // open until 30 004
    b.adopt('open', 1_000, 10);
    expect(b.waitMs(10)).toBe(29_994);
    b.adopt('closed', 0, 20);
    expect(b.state).toBe('closed');
    expect(b.tryAcquire(21)).toBe(true);
    expect(moves.map((m) => m[2])).toEqual(['consecutive-failures', 'shared']);
  });
});

describe('BreakerConfigSchema', () => {
  it('has the documented defaults', () => {
    expect(BreakerConfigSchema.parse({})).toMatchObject({
      windowMs: 60_000,
      buckets: 10,
      minRequests: 20,
      errorRate: 0.05,
      consecutiveFailures: 5,
      coolDownMs: 30_000,
      halfOpenProbes: 3,
    });
  });

  it('rejects bad values naming the field', () => {
    const path = (v: Record<string, unknown>) => BreakerConfigSchema.safeParse(v).error?.issues[0]?.path;
    expect(path({ errorRate: 0 })).toEqual(['errorRate']);
    expect(path({ errorRate: 1.5 })).toEqual(['errorRate']);
    expect(path({ consecutiveFailures: 1 })).toEqual(['consecutiveFailures']);
    expect(path({ minRequests: 1 })).toEqual(['minRequests']);
    expect(path({ halfOpenProbes: 0 })).toEqual(['halfOpenProbes']);
    expect(path({ coolDownMs: 1.5 })).toEqual(['coolDownMs']);
    expect(path({ coolDownMs: 60_000, maxCoolDownMs: 1000 })).toEqual(['maxCoolDownMs']);
    expect(BreakerConfigSchema.safeParse({ threshold: 3 }).success).toBe(false);
  });
});
