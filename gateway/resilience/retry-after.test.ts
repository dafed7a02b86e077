import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, retryAfterFromHeaders } from './retry-after.js';

const NOW = Date.parse('Thu, 26 Nov 2026 11:00:00 GMT');

describe('parseRetryAfterMs', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfterMs('7', NOW)).toBe(7000);
    expect(parseRetryAfterMs('0', NOW)).toBe(0);
    expect(parseRetryAfterMs(' 2 ', NOW)).toBe(2000);
    expect(parseRetryAfterMs('1.5', NOW)).toBe(1500);
    expect(parseRetryAfterMs(['3', '9'], NOW)).toBe(3000);
  });

  it('reads an HTTP date relative to now, a past date as 0', () => {
    expect(parseRetryAfterMs('Thu, 26 Nov 2026 11:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfterMs('Thu, 26 Nov 2026 10:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores what is neither, instead of returning NaN or a negative wait', () => {
    for (const bad of [undefined, '', '   ', '-5', '0x10', '1,5', 'soon', 'NaN', '1e3']) {
      expect(parseRetryAfterMs(bad, NOW), String(bad)).toBeUndefined();
    }
  });
});

describe('retryAfterFromHeaders', () => {
  it('prefers retry-after-ms, falls back to retry-after', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '250', 'retry-after': '1' }, NOW)).toBe(250);
    expect(retryAfterFromHeaders({ 'retry-after-ms': 'junk', 'retry-after': '1' }, NOW)).toBe(1000);
    expect(retryAfterFromHeaders({}, NOW)).toBeUndefined();
  });
});
