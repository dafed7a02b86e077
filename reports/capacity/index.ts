/** capacity: the knee search's planner, step digests, limit, projections and renderers (JSON, Markdown, HTML). */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadHtmlAssets } from '../html/assets.js';
import { renderCapacityHtml } from './render-html.js';
import { renderCapacityMarkdown } from './render-markdown.js';
import { CapacityReportSchema, type CapacityReport } from './schema.js';

export * from './schema.js';
export { bracket, nextRate, roundRate, type NextStep, type SearchOptions, type SearchStop, type Tried } from './search.js';
export { digestStep, gatewayCpu, ledgerWindow, processCpuSeconds, upstreamLoad, type CpuReadings, type StepInputs } from './step.js';
export { corroborated, findLimit } from './limit.js';
export { project, type ProfileInput } from './project.js';
export { configResult } from './result.js';
export { renderCapacityMarkdown } from './render-markdown.js';
export { renderCapacityHtml } from './render-html.js';
export { renderCapacityText } from './render-text.js';

export const CAPACITY_FILES = { json: 'capacity.json', md: 'capacity.md', html: 'capacity.html' } as const;

/** Validate the report and write capacity.json, capacity.md and capacity.html into `dir`. */
export async function writeCapacityReport(report: CapacityReport, dir: string): Promise<{ json: string; md: string; html: string }> {
  const r = CapacityReportSchema.parse(report);
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const files = { json: join(out, CAPACITY_FILES.json), md: join(out, CAPACITY_FILES.md), html: join(out, CAPACITY_FILES.html) };
  await writeFile(files.json, `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(files.md, renderCapacityMarkdown(r));
  await writeFile(files.html, renderCapacityHtml(r, loadHtmlAssets()));
  return files;
}
