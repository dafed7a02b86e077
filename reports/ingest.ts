/**
 * Streaming ingest of k6 `--out json` NDJSON (from real k6 or the native driver, plain or gzip):
 * one line at a time into an Aggregate. Bad lines are counted with their line numbers, never
 * fatal; metrics stormlab does not define are counted and otherwise kept only as base metrics.
 * Point lines in the usual layouts take a fast path (fast-line.ts) with the same results.
 */
import { basename, dirname } from 'node:path';
import { parseSampleLine, parseTimeMs, REQUEST_ID_METADATA } from '../scenarios/samples.js';
import { createAggregate, declareMetric, recordPoint, type Aggregate, type IngestOptions } from './aggregate.js';
import { cleanTags, fastPoint } from './fast-line.js';
import { lineBatchesOf, noteBadLine, type LineSource } from './lines.js';

export type { Aggregate, IngestOptions } from './aggregate.js';

/** Read samples from a file path (streamed) or from lines, into a new aggregate. */
export async function ingestSamples(input: LineSource, opts: IngestOptions = {}): Promise<Aggregate> {
  const agg = createAggregate(opts);
  await ingestInto(agg, input);
  return agg;
}

/**
 * Add more samples to an existing aggregate: several runners' outputs (k6-operator) merge into
 * one report this way. Line numbers in bad-line samples restart with each input.
 */
export async function ingestInto(agg: Aggregate, input: LineSource): Promise<Aggregate> {
  const before = { lines: agg.lines, points: agg.points, bad: agg.bad.count };
  let n = 0;
  const problem = (reason: string) => noteBadLine(agg.bad, n + 1, reason, agg.keepBadLines);
  for await (const batch of lineBatchesOf(input, 'samples NDJSON', problem)) {
    for (let i = 0; i < batch.length; i++) ingestLine(agg, batch[i] as string, ++n);
  }
  agg.sources.push({
    name: typeof input === 'string' ? `${basename(dirname(input))}/${basename(input)}` : `(lines ${agg.sources.length + 1})`,
    lines: agg.lines - before.lines,
    points: agg.points - before.points,
    badLines: agg.bad.count - before.bad,
  });
  return agg;
}

/** Fold one NDJSON line (line number `n`, 1-based) into the aggregate. Blank lines are skipped. */
export function ingestLine(agg: Aggregate, text: string, n: number): void {
  const fast = fastPoint(text);
  if (fast) {
    agg.lines++;
    recordPoint(agg, fast.metric, fast.value, fast.tags, fast.timeMs, fast.requestId);
    return;
  }
  if (text.trim() === '') return;
  agg.lines++;
  const parsed = parseSampleLine(text);
  if (!parsed.ok) {
    noteBadLine(agg.bad, n, parsed.reason, agg.keepBadLines);
    return;
  }
  const line = parsed.line;
  if (line.type === 'Metric') {
    declareMetric(agg, line.metric, line.data.type);
    return;
  }
  const timeMs = parseTimeMs(line.data.time);
  if (!Number.isFinite(timeMs)) {
    noteBadLine(agg.bad, n, 'point time is not an RFC 3339 time', agg.keepBadLines);
    return;
  }
  const rid = line.metric === 'http_reqs' ? line.data.metadata?.[REQUEST_ID_METADATA] : undefined;
  recordPoint(agg, line.metric, line.data.value, cleanTags(line.data.tags), timeMs, typeof rid === 'string' && rid !== '' ? rid : undefined);
}
