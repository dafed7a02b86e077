import { describe, expect, it } from 'vitest';
import { compare, parseExpectation } from './expectation.js';

describe('game-day expectations', () => {
  it('reads measures with their units into base units', () => {
    expect(parseExpectation('client_errors_during_fault < 1%')).toEqual({
      ok: true,
      value: {
        kind: 'measure',
        text: 'client_errors_during_fault < 1%',
        measure: 'client_errors_during_fault',
        op: '<',
        value: 0.01,
      },
    });
    expect(parseExpectation('time_to_failover<5s')).toMatchObject({
      ok: true,
      value: { measure: 'time_to_failover', op: '<', value: 5000 },
    });
    expect(parseExpectation('  residency_violations   ==   0 ')).toMatchObject({
      ok: true,
      value: { op: '==', value: 0, text: 'residency_violations == 0' },
    });
    expect(parseExpectation('extra_cost_during_fault <= 0.25')).toMatchObject({ ok: true, value: { value: 0.25 } });
    expect(parseExpectation('p99_ttft_during_fault < 1m30s')).toMatchObject({ ok: true, value: { value: 90_000 } });
  });

  it('reads the alert forms', () => {
    expect(parseExpectation('alert GatewayUpstreamDown fires within 60s')).toMatchObject({
      ok: true,
      value: { kind: 'alert', alert: 'GatewayUpstreamDown', fires: true, withinMs: 60_000 },
    });
    expect(parseExpectation('alert GatewayUpstreamDown fires')).toMatchObject({ ok: true, value: { fires: true } });
    expect(parseExpectation('alert GatewayP99High does not fire')).toMatchObject({ ok: true, value: { fires: false } });
  });

  it('says what was expected when a line does not fit', () => {
    expect(parseExpectation('errors < 1%')).toEqual({
      ok: false,
      expected: expect.stringContaining('a measure, one of client_errors_during_fault'),
    });
    expect(parseExpectation('time_to_failover < 5 apples')).toMatchObject({
      ok: false,
      expected: expect.stringContaining('<measure> <op> <value>'),
    });
    expect(parseExpectation('time_to_failover < 5')).toEqual({
      ok: false,
      expected: 'for time_to_failover, a duration such as 500ms, 5s or 1m (not "5")',
    });
    expect(parseExpectation('residency_violations == 0.5')).toMatchObject({
      ok: false,
      expected: expect.stringContaining('a whole number'),
    });
    expect(parseExpectation('alert GatewayUpstreamDown fires soon')).toMatchObject({
      ok: false,
      expected: expect.stringContaining('fires within <duration'),
    });
  });

  it('compares with every operator', () => {
    expect([
      compare(1, '<', 2),
      compare(2, '<=', 2),
      compare(3, '>', 2),
      compare(2, '>=', 2),
      compare(2, '==', 2),
      compare(1, '!=', 2),
    ]).toEqual([true, true, true, true, true, true]);
    expect([
      compare(2, '<', 2),
      compare(3, '<=', 2),
      compare(2, '>', 2),
      compare(1, '>=', 2),
      compare(1, '==', 2),
      compare(2, '!=', 2),
    ]).toEqual([false, false, false, false, false, false]);
  });
});
