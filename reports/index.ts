/**
 * reports/: streaming ingest of samples into HDR histograms, the versioned summary, renderers
 * (Markdown, terminal, self-contained HTML), HDR interval logs, compare and the CI gate.
 */
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
export { byServed, byTag, joinAnswers, overallShare, readAnswers, shareAdequate, summarizeQuality } from './quality.js';
export type { AdequacyTally, Answer, ServedVerdict, ShareAdequate } from './quality.js';
export { renderMarkdown } from './render-markdown.js';
export { renderTerminalSummary } from './render-text.js';
export { buildMergedReport, buildReport, RUN_FILES } from './build.js';
export type { BuiltReport, MergeOptions } from './build.js';
export { percentileCurve } from './histogram.js';
export { ingestChaos } from './chaos.js';
export type { ChaosEvent, ChaosLog } from './chaos.js';
export { gatewaySnapshot, parsePrometheusText } from './prom.js';
export type { GatewayMetricsSnapshot } from './prom.js';
export { aggregateHlog, mergeHlogs, HLOG_METRICS } from './hlog.js';
export type { MergedHlog } from './hlog.js';
export { parseSummary, readSummaryFile } from './summary-read.js';
export { loadRun } from './run-ref.js';
export type { LoadedRun } from './run-ref.js';
export { renderHtml } from './html/render-report.js';
export { loadHtmlAssets } from './html/assets.js';
export type { HtmlAssets } from './html/assets.js';
export { compareRuns, renderCompareHtml, renderCompareMarkdown, writeComparison, COMPARE_FILES } from './compare/index.js';
export type { Comparison } from './compare/index.js';
export { evaluateGate, loadGateRules, renderGateMarkdown, runGate, GateRulesSchema, DEFAULT_RULES_FILE } from './gate/index.js';
export type { GateOptions, GateResult, GateRules, GateVerdict } from './gate/index.js';
export {
  compareStrategies,
  recommend,
  renderStrategiesHtml,
  renderStrategiesMarkdown,
  writeStrategyComparison,
  STRATEGY_FILES,
  StrategyComparisonSchema,
} from './strategies/index.js';
export type { Recommendation, StrategyComparison, StrategyRow, StrategyRun } from './strategies/index.js';
