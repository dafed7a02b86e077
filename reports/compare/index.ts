/** compare: N runs side by side, as one Markdown and one HTML file. */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadHtmlAssets } from '../html/assets.js';
import { compareRuns, type Comparison } from './compare.js';
import { renderCompareHtml } from './render-html.js';
import { renderCompareMarkdown } from './render-markdown.js';

export { compareRuns, configDiffs, CONFIG_FILES } from './compare.js';
export type { ComparedRun, Comparison, ConfigDiff } from './compare.js';
export { diffJson } from './diff.js';
export type { JsonDifference } from './diff.js';
export { renderCompareHtml } from './render-html.js';
export { renderCompareMarkdown } from './render-markdown.js';
export { COMPARE_ROWS, deltaText } from './rows.js';

export const COMPARE_FILES = { md: 'compare.md', html: 'compare.html' } as const;

/** Compare runs and write compare.md and compare.html into `outDir`. */
export async function writeComparison(paths: string[], outDir: string): Promise<{ comparison: Comparison; files: { md: string; html: string } }> {
  const comparison = await compareRuns(paths);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = { md: join(dir, COMPARE_FILES.md), html: join(dir, COMPARE_FILES.html) };
  await writeFile(files.md, renderCompareMarkdown(comparison));
  await writeFile(files.html, renderCompareHtml(comparison, loadHtmlAssets()));
  return { comparison, files };
}
