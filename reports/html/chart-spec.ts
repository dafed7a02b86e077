/**
 * Chart specs: Chart.js configurations as plain JSON, built in typed TS and turned into charts by
 * the page's client script (which adds the few things JSON cannot carry: tick and tooltip
 * callbacks by `kind`, and the chaos overlay). Pure.
 */
import type { Curve } from '../summary-schema.js';

/** `xy`: a line over a linear x axis in `xUnit` (e.g. latency against the arrival rate) */
export type ChartKind = 'percentile' | 'timeline' | 'bar' | 'doughnut' | 'xy';

export interface XY {
  x: number;
  y: number | null;
}

export interface DatasetSpec {
  label: string;
  data: Array<number | null> | XY[];
  type?: 'line' | 'bar';
  yAxisID?: string;
  borderColor?: string | string[];
  backgroundColor?: string | string[];
  borderDash?: number[];
  borderWidth?: number;
  pointRadius?: number;
  /** true, false, or a Chart.js fill target ('origin', '-1' for the dataset below, …) */
  fill?: boolean | string;
  stack?: string;
  order?: number;
  spanGaps?: boolean;
  stepped?: boolean;
}

export interface ChaosOverlay {
  /** shaded: a fault active from `from` to `to` (seconds) */
  spans: Array<{ from: number; to: number; label: string }>;
  /** vertical lines at fault starts and stops */
  marks: Array<{ t: number; label: string }>;
}

export interface ChartSpec {
  /** the canvas element id */
  id: string;
  kind: ChartKind;
  /** unit of the left y axis values, for tooltips (`ms`, `USD`, `req/s`, …) */
  unit?: string;
  /** unit of the right y axis (`y1`) values */
  unit1?: string;
  /** unit of the x values (`xy` charts), for tooltips */
  xUnit?: string;
  /** shaded spans and labelled vertical marks (chaos on a timeline, the knee on a capacity curve) */
  chaos?: ChaosOverlay;
  config: {
    type: 'line' | 'bar' | 'doughnut';
    data: { labels?: Array<string | number>; datasets: DatasetSpec[] };
    options: Record<string, unknown>;
  };
}

export const PALETTE = ['#0969da', '#1a7f37', '#bf3989', '#9a6700', '#8250df', '#1b7c83', '#cf222e', '#6e7781', '#fb8500', '#3a86ff'];
export const RED = '#cf222e';
export const GREEN = '#2da44e';

export function color(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Percentile p (0–100) as the x of an HDR plot: 1/(1 − p), so 90% → 10, 99% → 100, 99.9% → 1000. */
export function percentileX(p: number): number {
  return 1 / (1 - p / 100);
}

function title(text: string): Record<string, unknown> {
  return { display: true, text, font: { size: 13, weight: 'bold' } };
}

/** Latency by percentile on a log axis of 1/(1 − p): one line per series (metrics, or runs in a comparison). */
export function percentileChart(id: string, heading: string, series: Array<{ label: string; curve: Curve; color: string; dash?: number[] }>): ChartSpec {
  const datasets: DatasetSpec[] = series
    .filter((s) => s.curve.length > 0)
    .map((s) => ({
      label: s.label,
      data: s.curve.map((pt) => ({ x: percentileX(pt.p), y: pt.ms })),
      borderColor: s.color,
      backgroundColor: s.color,
      borderWidth: 2,
      pointRadius: 1.5,
      ...(s.dash ? { borderDash: s.dash } : {}),
    }));
  const maxX = Math.max(10, ...datasets.flatMap((d) => (d.data as XY[]).map((pt) => pt.x)));
  return {
    id,
    kind: 'percentile',
    unit: 'ms',
    config: {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        plugins: { title: title(heading), legend: { position: 'bottom' } },
        scales: {
          x: { type: 'logarithmic', min: 1, max: 10 ** Math.ceil(Math.log10(maxX)), title: { display: true, text: 'percentile' } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'ms' } },
        },
      },
    },
  };
}

export function chartTitle(text: string): Record<string, unknown> {
  return title(text);
}
