import { describe, expect, it } from 'vitest';
import { decide, type Decision, type DecisionInput } from './decide.js';
import { RetryConfigSchema } from './retry-config.js';

const policy = RetryConfigSchema.parse({});

/** a first failure on a target, plenty of attempts, time and budget, a fallback that answers in ~800 ms */
const base: DecisionInput = {
  outcome: '5xx',
  sameTargetRetries: 0,
  attemptsLeft: 3,
  remainingMs: 60_000,
  fallbackAvailable: true,
  fallbackExpectedMs: 800,
  budgetAllows: true,
  backoffMs: 150,
};
const noFallback = { fallbackAvailable: false, fallbackExpectedMs: undefined } as const;

const rows: Array<[string, Partial<DecisionInput>, Decision]> = [
  // 429 with Retry-After
  [
    '429: a short wait, sooner than the fallback → wait and retry the same target',
    { outcome: '429', retryAfterMs: 500 },
    { action: 'retry-same', delayMs: 500 },
  ],
  [
    '429: the wait plus the target\'s own answer time is later than the fallback\'s → fail over, cool down',
    { outcome: '429', retryAfterMs: 500, targetExpectedMs: 400 },
    { action: 'failover', coolDownMs: 500 },
  ],
  [
    '429: the wait plus the target\'s own answer time still beats a slow fallback → wait and retry',
    { outcome: '429', retryAfterMs: 500, targetExpectedMs: 200 },
    { action: 'retry-same', delayMs: 500 },
  ],
  [
    '429: a wait longer than the fallback takes → fail over now, cool the target down',
    { outcome: '429', retryAfterMs: 5_000 },
    { action: 'failover', coolDownMs: 5_000 },
  ],
  [
    '429: fallback speed unknown → fail over now, cool down',
    { outcome: '429', retryAfterMs: 500, fallbackExpectedMs: undefined },
    { action: 'failover', coolDownMs: 500 },
  ],
  ['429: a wait past the deadline → fail over, cool down', { outcome: '429', retryAfterMs: 500, remainingMs: 400 },
    { action: 'failover', coolDownMs: 500 }],
  ['429: same target already retried → fail over, cool down (never hammer)',
    { outcome: '429', retryAfterMs: 500, sameTargetRetries: 1 }, { action: 'failover', coolDownMs: 500 }],
  [
    '429: no fallback, the wait fits → wait and retry the same target',
    { outcome: '429', retryAfterMs: 20_000, ...noFallback },
    { action: 'retry-same', delayMs: 20_000 },
  ],
  ['429: no fallback, the wait does not fit the deadline → stop',
    { outcome: '429', retryAfterMs: 20_000, remainingMs: 10_000, ...noFallback },
    { action: 'stop', reason: 'deadline' }],
  // 429 without Retry-After
  ['429 without Retry-After → fail over', { outcome: '429' }, { action: 'failover' }],
  ['429 without Retry-After, no fallback → same target after backoff', { outcome: '429', ...noFallback },
    { action: 'retry-same', delayMs: 150 }],
  ['429 without Retry-After, no fallback, backoff past the deadline → stop',
    { outcome: '429', remainingMs: 100, ...noFallback }, { action: 'stop', reason: 'deadline' }],
  // 5xx
  [
    '5xx, first time → retry once on the same target after backoff',
    { outcome: '5xx' },
    { action: 'retry-same', delayMs: 150 },
  ],
  ['5xx again on that target → fail over', { outcome: '5xx', sameTargetRetries: 1 }, { action: 'failover' }],
  ['5xx again, no fallback → stop', { outcome: '5xx', sameTargetRetries: 1, ...noFallback },
    { action: 'stop', reason: 'same-target-limit' }],
  ['5xx, backoff past the deadline → fail over now', { outcome: '5xx', remainingMs: 100 }, { action: 'failover' }],
  // timeout
  ['timeout → fail over', { outcome: 'timeout' }, { action: 'failover' }],
  ['timeout, no fallback → stop, never the same silent target', { outcome: 'timeout', ...noFallback },
    { action: 'stop', reason: 'no-fallback' }],
  // connect / reset / invalid
  ['connect → fail over', { outcome: 'connect' }, { action: 'failover' }],
  ['reset → fail over', { outcome: 'reset' }, { action: 'failover' }],
  ['invalid → fail over', { outcome: 'invalid' }, { action: 'failover' }],
  ['connect, no fallback → same target after backoff', { outcome: 'connect', ...noFallback },
    { action: 'retry-same', delayMs: 150 }],
  ['reset, no fallback, already retried twice → still bounded only by attempts',
    { outcome: 'reset', sameTargetRetries: 2, ...noFallback }, { action: 'retry-same', delayMs: 150 }],
  ['invalid, no fallback, backoff past the deadline → stop', { outcome: 'invalid', remainingMs: 100, ...noFallback },
    { action: 'stop', reason: 'deadline' }],
  // non-retryable
  ['4xx → stop and pass through', { outcome: '4xx' }, { action: 'stop', reason: 'not-retryable' }],
  [
    '4xx with attempts and a fallback → still stop',
    { outcome: '4xx', attemptsLeft: 5 },
    { action: 'stop', reason: 'not-retryable' },
  ],
  ['context_length → larger-context target', { outcome: 'context_length' }, { action: 'larger-context' }],
  ['client gone → stop', { outcome: 'aborted' }, { action: 'stop', reason: 'client-gone' }],
  // limits
  [
    'no attempts left → stop',
    { outcome: 'connect', attemptsLeft: 0 },
    { action: 'stop', reason: 'attempts-exhausted' },
  ],
  [
    'context_length, no attempts left → stop (caller passes the error through)',
    { outcome: 'context_length', attemptsLeft: 0 },
    { action: 'stop', reason: 'attempts-exhausted' },
  ],
  ['deadline passed → stop', { outcome: 'timeout', remainingMs: 0 }, { action: 'stop', reason: 'deadline' }],
  ['retry budget spent → stop', { outcome: '5xx', budgetAllows: false }, { action: 'stop', reason: 'retry-budget' }],
  ['retry budget spent stops a failover too', { outcome: '429', retryAfterMs: 5_000, budgetAllows: false },
    { action: 'stop', reason: 'retry-budget' }],
];

describe('decide after a failed attempt', () => {
  it.each(rows)('%s', (_name, row, expected) => {
    expect(decide({ ...base, ...row }, policy)).toEqual(expected);
  });

  it('a failover does not restart the retry cycle: one request, one attempt counter', () => {
    // 5xx on A → retry A → 5xx → fail over to B → 5xx → retry B → 5xx: attempts are spent, not renewed
    const seen: Decision[] = [];
    let attemptsLeft = policy.maxAttempts - 1;
    let same = 0;
    while (true) {
      const d = decide({ ...base, outcome: '5xx', sameTargetRetries: same, attemptsLeft }, policy);
      seen.push(d);
      if (d.action === 'stop') break;
      same = d.action === 'retry-same' ? same + 1 : 0;
      attemptsLeft--;
    }
    expect(seen.map((d) => d.action)).toEqual(['retry-same', 'failover', 'retry-same', 'stop']);
    expect(seen.at(-1)).toEqual({ action: 'stop', reason: 'attempts-exhausted' });
  });
});

describe('RetryConfigSchema', () => {
  it('has the documented defaults', () => {
    expect(policy).toEqual({
      maxAttempts: 4,
      sameTargetRetries: 1,
      backoff: { baseMs: 100, capMs: 2000 },
      budget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 3, buckets: 10 },
      maxRetryWaitMs: 5_000,
      maxCoolDownMs: 300_000,
    });
  });

  it('names the field that is wrong, nested ones included', () => {
    const path = (v: unknown) => RetryConfigSchema.safeParse(v).error?.issues[0]?.path;
    expect(path({ maxAttempts: 0 })).toEqual(['maxAttempts']);
    expect(path({ backoff: { baseMs: -1 } })).toEqual(['backoff', 'baseMs']);
    expect(path({ budget: { ratio: 'lots' } })).toEqual(['budget', 'ratio']);
    expect(RetryConfigSchema.safeParse({ retries: 3 }).success).toBe(false);
  });
});
