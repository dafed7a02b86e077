/** reports/: streaming ingest of samples into HDR histograms, the versioned summary, renderers. */
export { createHistogram, merge, percentileMs, recordMs, statsMs, HIGHEST_US, LOWEST_US, SIGNIFICANT_DIGITS } from './histogram.js';
export type { HistogramStats, MsHistogram } from './histogram.js';
export { createAggregate } from './aggregate.js';
export { ingestInto, ingestLine, ingestSamples } from './ingest.js';
export type { Aggregate, IngestOptions } from './ingest.js';
export type { Thresholds } from './submetrics.js';
export { ingestLedger, LedgerLineSchema } from './ledger.js';
export type { EndpointTotals, LedgerLine, LedgerTotals } from './ledger.js';
export { readRunMeta, RunMetaSchema } from './run-meta.js';
export type { RunMeta } from './run-meta.js';
export { summarize } from './summarize.js';
export type { SummarizeInputs } from './summarize.js';
export { GroupSummarySchema, LatencyStatsSchema, SummarySchema, SUMMARY_VERSION } from './summary-schema.js';
export type { GroupSummary, LatencyStats, Summary } from './summary-schema.js';
export { renderMarkdown } from './render-markdown.js';
export { renderTerminalSummary } from './render-text.js';
export { buildReport, RUN_FILES } from './build.js';
export type { BuiltReport } from './build.js';
