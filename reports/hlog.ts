/**
 * HdrHistogram interval logs (the format of HdrHistogram's HistogramLogWriter, readable by its
 * HistogramLogProcessor and HistogramLogAnalyzer): one log per latency metric per run, one
 * interval per second of the run (requests by their intended start), values in microseconds
 * (Interval_Max in ms). Logs of several runners merge into one: intervals of the same tag and
 * the same absolute second are added (HDR `.add()`, never averaged).
 */
import { HistogramLogReader, HistogramLogWriter, type Histogram } from 'hdr-histogram-js';
import type { Aggregate } from './aggregate.js';
import { fmtInt, fmtMs } from './format.js';
import type { SecondAcc } from './groups.js';
import { createHistogram, percentileMs, type MsHistogram } from './histogram.js';

export const HLOG_METRICS = ['ttft', 'e2e', 'itl'] as const;
export type HlogMetric = (typeof HLOG_METRICS)[number];

interface Interval {
  startSec: number;
  lengthSec: number;
  hdr: Histogram;
}

function writeLog(tag: string, originMs: number, intervals: Interval[], comment: string): string {
  let out = '';
  const writer = new HistogramLogWriter((s) => (out += s));
  writer.outputComment(comment);
  writer.outputLogFormatVersion();
  writer.outputStartTime(originMs);
  writer.outputLegend();
  for (const iv of intervals) {
    iv.hdr.tag = tag;
    writer.outputIntervalHistogram(iv.hdr, iv.startSec, iv.startSec + iv.lengthSec, 1000);
  }
  return out;
}

/** The interval log of one metric from an aggregate's per-second buckets; null when the metric has no points. */
export function aggregateHlog(agg: Aggregate, metric: HlogMetric): string | null {
  const keys = [...agg.seconds.keys()].sort((a, b) => a - b);
  const hist = (b: SecondAcc): MsHistogram | null => b[metric];
  const withData = keys.filter((k) => (hist(agg.seconds.get(k) as SecondAcc)?.count ?? 0) > 0);
  const first = withData[0];
  if (first === undefined) return null;
  // keys count from the run start when it was known, else they are Unix seconds
  const originMs = agg.seriesOriginMs ?? first * 1000;
  const offset = agg.seriesOriginMs !== null ? 0 : first;
  const intervals = withData.map((k) => ({ startSec: k - offset, lengthSec: 1, hdr: (hist(agg.seconds.get(k) as SecondAcc) as MsHistogram).hdr }));
  return writeLog(metric, originMs, intervals, `stormlab ${metric} latency: 1 s intervals by intended start, values in µs`);
}

export interface MergedHlog {
  /** the merged log */
  text: string;
  /** totals by tag over every interval */
  totals: Map<string, MsHistogram>;
  intervals: number;
  /** interval lines that could not be decoded, counted */
  badIntervals: number;
}

/** Read interval logs (their text) and merge them: one interval per tag and absolute second. */
export function mergeHlogs(texts: string[]): MergedHlog {
  const byKey = new Map<string, { tag: string; startMs: number; lengthSec: number; hdr: Histogram }>();
  let badIntervals = 0;
  for (const text of texts) {
    const reader = new HistogramLogReader(text);
    for (;;) {
      let hdr: Histogram | null;
      try {
        hdr = reader.nextIntervalHistogram();
      } catch {
        badIntervals++;
        continue;
      }
      if (!hdr) break;
      const startMs = Math.round(hdr.startTimeStampMsec);
      const lengthSec = Math.max(0, (hdr.endTimeStampMsec - hdr.startTimeStampMsec) / 1000);
      const key = `${hdr.tag}\u0000${startMs}`;
      let got = byKey.get(key);
      if (!got) {
        got = { tag: hdr.tag, startMs, lengthSec, hdr: createHistogram().hdr };
        byKey.set(key, got);
      }
      try {
        got.hdr.add(hdr); // a foreign log with a wider range than ours cannot be added
      } catch {
        badIntervals++;
        continue;
      }
      got.lengthSec = Math.max(got.lengthSec, lengthSec);
    }
  }
  const all = [...byKey.values()].sort((a, b) => a.startMs - b.startMs || (a.tag < b.tag ? -1 : 1));
  const originMs = all[0]?.startMs ?? 0;
  const totals = new Map<string, MsHistogram>();
  let out = '';
  const writer = new HistogramLogWriter((s) => (out += s));
  writer.outputComment(`stormlab: ${texts.length} interval logs merged`);
  writer.outputLogFormatVersion();
  writer.outputStartTime(originMs);
  writer.outputLegend();
  for (const iv of all) {
    if (iv.hdr.totalCount === 0) continue;
    iv.hdr.tag = iv.tag;
    const start = (iv.startMs - originMs) / 1000;
    writer.outputIntervalHistogram(iv.hdr, start, start + iv.lengthSec, 1000);
    const total = totals.get(iv.tag) ?? createHistogram();
    total.hdr.add(iv.hdr);
    total.count += iv.hdr.totalCount;
    total.sumUs += iv.hdr.mean * iv.hdr.totalCount;
    total.minUs = Math.min(total.minUs, iv.hdr.getValueAtPercentile(0));
    total.maxUs = Math.max(total.maxUs, iv.hdr.maxValue);
    totals.set(iv.tag, total);
  }
  return { text: out, totals, intervals: all.length, badIntervals };
}

/** `ttft: 1,234 values · p50 120 ms · p99 480 ms · max 910 ms` per tag, for the terminal. */
export function describeTotals(totals: Map<string, MsHistogram>): string[] {
  return [...totals].map(([tag, h]) => {
    const p = (q: number) => fmtMs(percentileMs(h, q));
    return `${tag || '(untagged)'}: ${fmtInt(h.count)} values · p50 ${p(50)} · p90 ${p(90)} · p99 ${p(99)} · max ${fmtMs(h.maxUs / 1000)}`;
  });
}
