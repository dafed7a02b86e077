import { describe, expect, it } from 'vitest';
import { BreakerConfigSchema, CircuitBreaker } from './breaker.js';
import { breakerVerdict } from './breaker-outcome.js';

describe('breakerVerdict', () => {
  it('counts failures to answer, not client errors or rate limits', () => {
    expect(['connect', 'reset', 'timeout', '5xx', 'invalid'].map((o) => breakerVerdict(o as never))).toEqual(
      [false, false, false, false, false],
    );
    expect(breakerVerdict('ok')).toBe(true);
    expect(breakerVerdict('4xx')).toBe(true);
    expect(breakerVerdict('context_length')).toBe(true);
    expect(breakerVerdict('429')).toBeUndefined();
    expect(breakerVerdict('aborted')).toBeUndefined();
  });

  it('a storm of 429s and 400s never opens the breaker; a run of resets does', () => {
    const b = new CircuitBreaker(BreakerConfigSchema.parse({}));
    const feed = (outcome: '429' | '4xx' | 'reset', now: number) => {
      expect(b.tryAcquire(now)).toBe(true);
      const v = breakerVerdict(outcome);
      if (v === undefined) b.release();
      else b.record(v, now);
    };
    for (let i = 0; i < 50; i++) feed(i % 2 ? '429' : '4xx', i);
    expect(b.state).toBe('closed');
    feed('reset', 100);
    expect(b.state).toBe('closed');
    feed('reset', 101); // 2 failures of 27 recorded outcomes (429s record nothing): over 5 %
    expect(b.state).toBe('open');
  });
});
