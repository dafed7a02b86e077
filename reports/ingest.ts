/**
 * Streaming ingest of k6 `--out json` NDJSON (from real k6 or the native driver): one line at
 * a time into an Aggregate. Bad lines are counted with their line numbers, never fatal;
 * metrics stormlab does not define are counted and otherwise kept only as base metrics.
 */
import { parseSampleLine, parseTimeMs, type Tags } from '../scenarios/samples.js';
import { createAggregate, declareMetric, recordPoint, type Aggregate, type IngestOptions } from './aggregate.js';
import { linesOf, noteBadLine, type LineSource } from './lines.js';

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
  let n = 0;
  for await (const text of linesOf(input, 'samples NDJSON')) {
    n++;
    ingestLine(agg, text, n);
  }
  return agg;
}

/** Fold one NDJSON line (line number `n`, 1-based) into the aggregate. Blank lines are skipped. */
export function ingestLine(agg: Aggregate, text: string, n: number): void {
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
  recordPoint(agg, line.metric, line.data.value, cleanTags(line.data.tags), timeMs);
}

/** k6 tag values are strings; anything else (from a hand-written file) is stringified or dropped. */
function cleanTags(tags: Tags): Tags {
  for (const k in tags) {
    const v: unknown = tags[k];
    if (typeof v === 'string') continue;
    if (typeof v === 'number' || typeof v === 'boolean') tags[k] = String(v);
    else delete tags[k];
  }
  return tags;
}
