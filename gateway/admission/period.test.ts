import { describe, expect, it } from 'vitest';
import { untilText, windowOf } from './period.js';

const at = (iso: string): number => Date.parse(iso);

describe('budget periods', () => {
  it('calendar windows in UTC', () => {
    const now = at('2026-11-26T11:48:00Z'); // a Thursday
    expect(windowOf('day', now)).toEqual({ start: at('2026-11-26T00:00:00Z'), end: at('2026-11-27T00:00:00Z') });
    expect(windowOf('week', now)).toEqual({ start: at('2026-11-23T00:00:00Z'), end: at('2026-11-30T00:00:00Z') });
    expect(windowOf('month', now)).toEqual({ start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z') });
    expect(windowOf('month', at('2026-12-31T23:59:59Z')).end).toBe(at('2027-01-01T00:00:00Z'));
    expect(windowOf('hour', now)).toEqual({ start: at('2026-11-26T11:00:00Z'), end: at('2026-11-26T12:00:00Z') });
  });

  it('a duration is a fixed window from the epoch', () => {
    expect(windowOf('12h', at('2026-11-26T13:00:00Z'))).toEqual({ start: at('2026-11-26T12:00:00Z'), end: at('2026-11-27T00:00:00Z') });
  });

  it('says how long until a reset', () => {
    expect(untilText(42_000)).toBe('42s');
    expect(untilText(3 * 3_600_000 + 12 * 60_000)).toBe('3h 12m');
  });
});
