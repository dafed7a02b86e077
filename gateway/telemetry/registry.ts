/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format (version 0.0.4). One registry per gateway instance.
 */
export type Labels = Readonly<Record<string, string>>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

interface Entry<Child> {
  readonly values: string[];
  readonly child: Child;
}

abstract class Metric<Child> {
  /** children in order of first sight (the exposition's order) */
  private readonly entries: Array<Entry<Child>> = [];
  /** children by label value, one Map level per label name */
  private readonly tree = new Map<string, unknown>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract create(): Child;
  protected abstract renderChild(values: readonly string[], child: Child): string[];

  /**
   * The child for a label set. On the hot path (a request makes about a dozen of these) it is
   * found with one Map lookup per label value — no key string is built: label values are mostly
   * the same string objects each time (ids and names from config), whose hashes V8 keeps.
   */
  protected child(labels: Labels): Child {
    const names = this.labelNames;
    let node = this.tree;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const v = labels[names[i] as string] ?? '';
      let next = node.get(v) as Map<string, unknown> | undefined;
      if (!next) node.set(v, (next = new Map()));
      node = next;
    }
    const v = last < 0 ? '' : (labels[names[last] as string] ?? '');
    let entry = node.get(v) as Entry<Child> | undefined;
    if (!entry) {
      entry = { values: names.map((n) => labels[n] ?? ''), child: this.create() };
      node.set(v, entry);
      this.entries.push(entry);
    }
    return entry.child;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { values, child } of this.entries) lines.push(...this.renderChild(values, child));
    return lines.join('\n');
  }
}

/** One label set's series of a counter, found once: `inc` without a lookup (for label sets used on every request). */
export interface CounterSeries {
  inc(by?: number): void;
}

/** One label set's series of a histogram, found once. */
export interface HistogramSeries {
  observe(value: number): void;
}

export class Counter extends Metric<{ value: number }> {
  readonly type = 'counter';
  protected create() {
    return { value: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`counter ${this.name} cannot decrease`);
    this.child(labels).value += by;
  }
  /** The series of `labels` (it appears in the exposition from now on, at 0 until increased). */
  series(labels: Labels): CounterSeries {
    const c = this.child(labels);
    const name = this.name;
    return {
      inc(by = 1) {
        if (by < 0) throw new RangeError(`counter ${name} cannot decrease`);
        c.value += by;
      },
    };
  }
  get(labels: Labels = {}): number {
    return this.child(labels).value;
  }
  protected renderChild(values: readonly string[], c: { value: number }): string[] {
    return [`${this.name}${labelText(this.labelNames, values)} ${formatValue(c.value)}`];
  }
}

export class Gauge extends Metric<{ value: number }> {
  readonly type = 'gauge';
  protected create() {
    return { value: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    this.child(labels).value += by;
  }
  dec(labels: Labels = {}, by = 1): void {
    this.child(labels).value -= by;
  }
  set(labels: Labels, value: number): void {
    this.child(labels).value = value;
  }
  get(labels: Labels = {}): number {
    return this.child(labels).value;
  }
  protected renderChild(values: readonly string[], c: { value: number }): string[] {
    return [`${this.name}${labelText(this.labelNames, values)} ${formatValue(c.value)}`];
  }
}

interface HistogramChild {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramChild> {
  readonly type = 'histogram';
  constructor(name: string, help: string, labelNames: readonly string[], readonly buckets: readonly number[]) {
    super(name, help, labelNames);
    if (buckets.some((b, i) => i > 0 && b <= (buckets[i - 1] as number))) throw new RangeError(`${name}: buckets must increase`);
  }
  protected create(): HistogramChild {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }
  observe(labels: Labels, value: number): void {
    this.record(this.child(labels), value);
  }
  /** The series of `labels` (it appears in the exposition from now on, empty until observed). */
  series(labels: Labels): HistogramSeries {
    const c = this.child(labels);
    return { observe: (value) => this.record(c, value) };
  }
  private record(c: HistogramChild, value: number): void {
    c.sum += value;
    c.count += 1;
    const b = this.buckets;
    for (let i = 0; i < b.length; i++) {
      if (value <= (b[i] as number)) {
        c.counts[i] = (c.counts[i] as number) + 1;
        return;
      }
    }
  }
  protected renderChild(values: readonly string[], c: HistogramChild): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((b, i) => {
      cumulative += c.counts[i] ?? 0;
      lines.push(`${this.name}_bucket${labelText(this.labelNames, values, `le="${formatValue(b)}"`)} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${labelText(this.labelNames, values, 'le="+Inf"')} ${c.count}`);
    lines.push(`${this.name}_sum${labelText(this.labelNames, values)} ${formatValue(c.sum)}`);
    lines.push(`${this.name}_count${labelText(this.labelNames, values)} ${c.count}`);
    return lines;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric<unknown>>();

  private add<M extends Metric<unknown>>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} is registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }
  /** The text exposition of every metric, ending in a newline. */
  render(): string {
    return `${[...this.metrics.values()].map((m) => m.render()).join('\n')}\n`;
  }
}
