/**
 * What ingest keeps of one (sub)metric, whatever its type: enough to answer every k6
 * threshold aggregation (count, sum, rate, min, max, avg, med, p(N), value) without keeping
 * the points. Trends (and metrics of unknown type) also get an HDR histogram.
 */
import type { MetricStats } from '../scenarios/thresholds.js';
import type { MetricType } from '../scenarios/samples.js';
import { createHistogram, percentileMs, recordMs, type MsHistogram } from './histogram.js';

export interface MetricAcc {
  type: MetricType | undefined;
  count: number;
  sum: number;
  /** sum of squares, for a standard deviation (the gate's resampling of cost per request) */
  sumSq: number;
  /** samples with a non-zero value (the numerator of a rate) */
  nonZero: number;
  min: number;
  max: number;
  /** last value seen (gauges) */
  last: number;
  hist: MsHistogram | null;
}

export function createMetricAcc(type: MetricType | undefined): MetricAcc {
  return {
    type,
    count: 0,
    sum: 0,
    sumSq: 0,
    nonZero: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    last: 0,
    // an undeclared metric might be a trend: a compact histogram costs little until it fills
    hist: type === 'trend' ? createHistogram() : type === undefined ? createHistogram({ compact: true }) : null,
  };
}

export function recordMetric(acc: MetricAcc, value: number): void {
  acc.count++;
  acc.sum += value;
  acc.sumSq += value * value;
  if (value !== 0) acc.nonZero++;
  if (value < acc.min) acc.min = value;
  if (value > acc.max) acc.max = value;
  acc.last = value;
  if (acc.hist) recordMs(acc.hist, value);
}

/**
 * k6 semantics per type: counters answer `count` (sum) and `rate` (sum per second of the run),
 * rates answer `rate` (share of non-zero samples), gauges answer `value` (last), trends the rest.
 */
export function metricStats(acc: MetricAcc, durationS: number): MetricStats {
  const stats: MetricStats = { count: acc.count };
  if (acc.count === 0) return stats;
  switch (acc.type) {
    case 'counter':
      stats.value = acc.sum;
      if (durationS > 0) stats.rate = acc.sum / durationS;
      break;
    case 'rate':
      stats.rate = acc.nonZero / acc.count;
      break;
    case 'gauge':
      stats.value = acc.last;
      stats.min = acc.min;
      stats.max = acc.max;
      break;
    default: {
      const hist = acc.hist;
      stats.avg = acc.sum / acc.count;
      stats.min = acc.min;
      stats.max = acc.max;
      if (hist) {
        stats.med = percentileMs(hist, 50) ?? undefined;
        stats.percentile = (p: number) => percentileMs(hist, p) ?? Number.NaN;
      }
    }
  }
  return stats;
}
