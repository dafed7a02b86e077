/**
 * k6's `--out json` writer, as the stand-in's VUs feed it: a `Metric` line the first time a
 * metric is seen (with the thresholds `options` gives it), then one `Point` line per sample,
 * timed as Go's RFC 3339 with nanoseconds.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { PointMsg } from './protocol.js';

/** Go's RFC 3339 with nanoseconds, trailing zeros trimmed (`…:00.1234Z`), as k6's json output writes times. */
export function goTime(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString(); // …ss.mmmZ
  const nanos = Math.round((ms - whole) * 1e6);
  const fraction = `${iso.slice(20, 23)}${String(nanos).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

export class K6JsonWriter {
  private readonly out: WriteStream;
  private readonly declared = new Set<string>();
  points = 0;

  constructor(
    file: string,
    /** options.thresholds: metric name (or `name{tag:value}`) → expressions */
    private readonly thresholds: Record<string, unknown[]>,
  ) {
    this.out = createWriteStream(file);
  }

  private declare(p: PointMsg): void {
    const expression = (t: unknown) => (typeof t === 'string' ? t : String((t as { threshold: unknown }).threshold));
    const list = (this.thresholds[p.metric] ?? []).map(expression);
    const data = { name: p.metric, type: p.type, contains: p.contains, thresholds: list, submetrics: null };
    this.out.write(`${JSON.stringify({ type: 'Metric', data, metric: p.metric })}\n`);
    this.declared.add(p.metric);
  }

  write(p: PointMsg): void {
    if (!this.declared.has(p.metric)) this.declare(p);
    const data = { time: goTime(p.timeMs), value: p.value, tags: p.tags, ...(p.metadata ? { metadata: p.metadata } : {}) };
    this.out.write(`${JSON.stringify({ type: 'Point', data, metric: p.metric })}\n`);
    this.points++;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
