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

  it('keeps every label set apart, in the order first seen; a missing label is empty', () => {
    const r = new Registry();
    const c = r.counter('z_total', 'Z.', ['a', 'b']);
    c.inc({ a: 'x', b: 'y' });
    c.inc({ a: 'xy', b: '' });
    c.inc({ a: 'x\u0000y' });
    c.inc({ a: 'x', b: 'y' }, 2);
    c.inc({ b: 'y' });
    expect(c.get({ a: 'x', b: 'y' })).toBe(3);
    expect(r.render().split('\n').filter((l) => l.startsWith('z_total'))).toEqual([
      'z_total{a="x",b="y"} 3',
      'z_total{a="xy",b=""} 1',
      'z_total{a="x\u0000y",b=""} 1',
      'z_total{a="",b="y"} 1',
    ]);
  });

  it('refuses a decreasing counter and a duplicate name', () => {
    const r = new Registry();
    const c = r.counter('y_total', 'Y.');
    expect(() => c.inc({}, -1)).toThrow(RangeError);
    expect(() => r.counter('y_total', 'again')).toThrow(/twice/);
  });

  it('a series found once counts into the same sample as label lookups, and refuses to decrease', () => {
    const r = new Registry();
    const c = r.counter('s_total', 'S.', ['a']);
    const h = r.histogram('s_seconds', 'S.', ['a'], [1]);
    const series = c.series({ a: 'x' });
    const hs = h.series({ a: 'x' });
    expect(r.render()).toContain('s_total{a="x"} 0');
    series.inc();
    series.inc(2);
    c.inc({ a: 'x' });
    hs.observe(0.5);
    h.observe({ a: 'x' }, 2);
    expect(c.get({ a: 'x' })).toBe(4);
    expect(() => series.inc(-1)).toThrow(RangeError);
    const histogram = [
      's_seconds_bucket{a="x",le="1"} 1',
      's_seconds_bucket{a="x",le="+Inf"} 2',
      's_seconds_sum{a="x"} 2.5',
    ];
    expect(r.render()).toContain(histogram.join('\n'));
  });
});
