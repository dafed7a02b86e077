/**
 * Strategy comparison: runs of one spec under several gateway configs → one side-by-side report
 * (strategies.json, strategies.md, strategies.html). Reads run directories; starts nothing.
 */
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadHtmlAssets } from '../html/assets.js';
import { readAnswers } from '../quality.js';
import { readSummaryFile } from '../summary-read.js';
import { recommend } from './recommend.js';
import { renderStrategiesHtml } from './render-html.js';
import { renderStrategiesMarkdown } from './render-markdown.js';
import { strategyRow } from './rows.js';
import type { StrategyComparison } from './schema.js';

export { DEFAULT_MAX_QUALITY_DROP_POINTS, eligible, recommend, recommendationRule } from './recommend.js';
export { renderStrategiesHtml } from './render-html.js';
export { renderStrategiesMarkdown } from './render-markdown.js';
export { strategyRow, type RowInput } from './rows.js';
export { RecommendationSchema, StrategyComparisonSchema, StrategyRowSchema } from './schema.js';
export type { Recommendation, StrategyComparison, StrategyRow } from './schema.js';

export const STRATEGY_FILES = { json: 'strategies.json', md: 'strategies.md', html: 'strategies.html' } as const;

export interface StrategyRun {
  name: string;
  /** the gateway config file */
  config: string;
  /** a run directory with its summary.json built */
  runDir: string;
}

/** Rows from the run directories (summary.json and the answers' verdicts), and the recommendation. */
export async function compareStrategies(
  spec: string,
  planned: string[],
  runs: readonly StrategyRun[],
  opts: { maxQualityDropPoints?: number; failed?: StrategyComparison['failed'] } = {},
): Promise<StrategyComparison> {
  const rows = [];
  for (const r of runs) {
    const summary = readSummaryFile(join(r.runDir, 'summary.json'));
    rows.push(strategyRow({ ...r, summary, answers: await readAnswers(r.runDir) }));
  }
  const seed = runs.length > 0 ? readSummaryFile(join(runs[0]!.runDir, 'summary.json')).run.seed : null;
  const recommendation = recommend(rows, opts.maxQualityDropPoints);
  return { version: 1, spec, seed, planned, configs: rows, failed: opts.failed ?? [], recommendation };
}

async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

/** Write strategies.json, .md and .html into `outDir`. */
export async function writeStrategyComparison(
  c: StrategyComparison,
  outDir: string,
): Promise<{ json: string; md: string; html: string }> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = {
    json: join(dir, STRATEGY_FILES.json),
    md: join(dir, STRATEGY_FILES.md),
    html: join(dir, STRATEGY_FILES.html),
  };
  await writeWhole(files.json, `${JSON.stringify(c, null, 2)}\n`);
  await writeWhole(files.md, renderStrategiesMarkdown(c));
  await writeWhole(files.html, renderStrategiesHtml(c, loadHtmlAssets()));
  return files;
}
