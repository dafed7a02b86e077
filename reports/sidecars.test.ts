import { describe, expect, it } from 'vitest';
import { ingestChaos } from './chaos.js';
import { ledgerLine, T0 } from './fixtures/requests.js';
import { ingestLedger } from './ledger.js';
import { gatewaySnapshot } from './prom.js';

describe('chaos event log', () => {
  it('reads start/stop events in time order, with a readable scope, and counts bad lines', async () => {
    const at = (s: number) => new Date(T0 + s * 1000).toISOString();
    const log = await ingestChaos([
      JSON.stringify({ time: at(3), event: 'stop', id: 'o1', fault: 'outage', scope: { provider: 'openai', region: 'us-east' } }),
      JSON.stringify({ time: at(1), event: 'start', id: 'o1', fault: 'outage', scope: { provider: 'openai', region: 'us-east' } }),
      JSON.stringify({ time: at(2), event: 'start', id: 'lat', fault: 'latency', scope: {} }),
      'garbage',
      JSON.stringify({ time: at(2), event: 'pause', id: 'x', fault: 'y' }),
      '',
    ]);
    expect(log.events.map((e) => [e.timeMs - T0, e.event, e.fault, e.scope])).toEqual([
      [1000, 'start', 'outage', 'provider=openai region=us-east'],
      [2000, 'start', 'latency', 'fleet'],
      [3000, 'stop', 'outage', 'provider=openai region=us-east'],
    ]);
    expect(log.bad).toEqual({ count: 2, samples: [{ line: 4, reason: 'not JSON' }, { line: 5, reason: expect.stringContaining('event') }] });
  });
});

describe('gateway metrics snapshot', () => {
  it('sums the gateway counters over their labels; other metrics and bad lines are only counted', () => {
    const text = [
      '# HELP stormlab_gateway_requests_total Client requests answered.',
      '# TYPE stormlab_gateway_requests_total counter',
      'stormlab_gateway_requests_total{model="gpt-4.1",status="200",stream="true"} 90',
      'stormlab_gateway_requests_total{model="gpt-4.1",status="502",stream="true"} 10',
      'stormlab_gateway_upstream_attempts_total{upstream="openai/us-east",outcome="ok"} 90',
      'stormlab_gateway_upstream_attempts_total{upstream="openai/us-east",outcome="connect"} 12',
      'stormlab_gateway_upstream_attempts_total{upstream="azure/eastus",outcome="ok"} 3',
      'stormlab_gateway_cost_usd_total{upstream="openai/us-east",model="gpt-4.1"} 0.125',
      'process_cpu_seconds_total 1.5 1700000000000',
      'label_with_escapes{path="a\\"b"} 1',
      'not a metric line',
    ].join('\n');
    expect(gatewaySnapshot(text)).toEqual({
      series: 8,
      badLines: 1,
      requests: 100,
      costUsd: 0.125,
      failovers: null,
      truncations: null,
      attempts: { connect: 12, ok: 93 },
    });
  });
});

describe('ledger', () => {
  it('reads the nulls the mock writes (no status yet, no model, no attempt header) and prices failed calls', async () => {
    const t = await ingestLedger([
      ledgerLine('openai/us-east', 200, 0.002),
      ledgerLine('openai/us-east', 200, 0.001, { outcome: 'client_aborted' }),
      JSON.stringify({ ...JSON.parse(ledgerLine('azure/eastus', 200, 0.0005)), status: null, model: null, attempt: null, outcome: 'error' }),
    ]);
    expect(t.bad.count).toBe(0);
    expect(t).toMatchObject({ calls: 3, failedCalls: 2 });
    expect(t.failedCostUsd).toBeCloseTo(0.0015, 12);
    expect(t.byEndpoint.get('azure/eastus')?.statuses).toEqual({ none: 1 });
  });
});
