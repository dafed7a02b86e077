import { describe, expect, it } from 'vitest';
import { findPrometheus, firingsFrom, prometheusConfig } from './prometheus.js';

describe('prometheus for game days', () => {
  it('turns ALERTS samples into firing intervals: a gap splits, a series alive at the end is still firing', () => {
    const series = [
      {
        metric: {
          __name__: 'ALERTS',
          alertname: 'GatewayUpstreamDown',
          alertstate: 'firing',
          upstream: 'openai/us-east',
        },
        values: [
          [100, '1'],
          [101, '1'],
          [102, '1'],
          [110, '1'],
          [111, '1'],
        ] as Array<[number, string]>,
      },
    ];
    expect(firingsFrom(series, 1, 112)).toEqual([
      { alert: 'GatewayUpstreamDown', labels: { upstream: 'openai/us-east' }, firedMs: 100_000, resolvedMs: 103_000 },
      { alert: 'GatewayUpstreamDown', labels: { upstream: 'openai/us-east' }, firedMs: 110_000, resolvedMs: null },
    ]);
  });

  it('scrapes the one metrics URL every second and evaluates the rules every second', () => {
    const text = prometheusConfig('http://127.0.0.1:4000/metrics', '/x/rules.yml');
    expect(text).toContain('scrape_interval: 1s');
    expect(text).toContain('evaluation_interval: 1s');
    expect(text).toContain('- "/x/rules.yml"');
    expect(text).toContain('targets: ["127.0.0.1:4000"]');
    expect(text).toContain('metrics_path: "/metrics"');
  });

  it('finds the binary through STORMLAB_PROMETHEUS or PATH, and says null when there is none', () => {
    expect(findPrometheus({ STORMLAB_PROMETHEUS: '/no/such/prometheus', PATH: '/usr/bin' })).toBeNull();
    expect(findPrometheus({ PATH: '/no/such/dir' })).toBeNull();
    expect(findPrometheus({ PATH: `/no/such/dir:${process.env.PATH ?? ''}` })).toMatch(/prometheus$/);
  });
});
