import { describe, expect, it } from 'vitest';
import { Registry } from './registry.js';

describe('Prometheus registry', () => {
  it('renders counters, gauges and cumulative histogram buckets in text exposition format', () => {
    const r = new Registry();
    const c = r.counter('x_total', 'Things.', ['kind']);
    c.inc({ kind: 'a"b\\c\nd' });
    c.inc({ kind: 'plain' }, 2.5);
    r.gauge('x_now', 'Now.').inc();
    const h = r.histogram('x_seconds', 'Time.', ['m'], [0.1, 1]);
    h.observe({ m: 'q' }, 0.05);
    h.observe({ m: 'q' }, 0.5);
    h.observe({ m: 'q' }, 3);
    expect(r.render()).toBe(
      [
        '# HELP x_total Things.',
        '# TYPE x_total counter',
        'x_total{kind="a\\"b\\\\c\\nd"} 1',
        'x_total{kind="plain"} 2.5',
        '# HELP x_now Now.',
        '# TYPE x_now gauge',
        'x_now 1',
        '# HELP x_seconds Time.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{m="q",le="0.1"} 1',
        'x_seconds_bucket{m="q",le="1"} 2',
        'x_seconds_bucket{m="q",le="+Inf"} 3',
        'x_seconds_sum{m="q"} 3.55',
        'x_seconds_count{m="q"} 3',
        '',
      ].join('\n'),
    );
  });

  it('refuses a decreasing counter and a duplicate name', () => {
    const r = new Registry();
    const c = r.counter('y_total', 'Y.');
    expect(() => c.inc({}, -1)).toThrow(RangeError);
    expect(() => r.counter('y_total', 'again')).toThrow(/twice/);
  });
});
