/** The native load driver: run a scenario spec without k6, writing k6-compatible NDJSON samples. */
export { runDriver, chatCompletionsUrl, thresholdsPassed, driverExitCode, type DriverOptions, type DriverResult } from './run.js';
export { mergeSegments, type MergedRun } from './merge.js';
export { formatProgress, LiveHistogram, type Progress } from './progress.js';
export { NdjsonWriter } from './ndjson.js';
export { MetricStore, percentileOf } from './stats.js';
export { DRIVER_METRICS, TTFT_DEFINITION } from './recorder.js';
export { send, type SendContext, type SendResult } from './send.js';
export { waitUntil, now } from './clock.js';
export { parseSegment, type SegmentInput, type ExecutionSegment } from '../scenarios/segment.js';
