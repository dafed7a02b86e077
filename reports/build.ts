/**
 * A run directory → summary.json and summary.md beside the samples. Reads samples.ndjson
 * (required), ledger.ndjson and run.json (optional). Everything is streamed; nothing here
 * starts a server.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StormlabError } from '../core/errors.js';
import { ingestSamples } from './ingest.js';
import { ingestLedger } from './ledger.js';
import { renderMarkdown } from './render-markdown.js';
import { readRunMeta } from './run-meta.js';
import { summarize } from './summarize.js';
import { SummarySchema, type Summary } from './summary-schema.js';

export const RUN_FILES = {
  samples: 'samples.ndjson',
  ledger: 'ledger.ndjson',
  run: 'run.json',
  summaryJson: 'summary.json',
  summaryMd: 'summary.md',
} as const;

export interface BuiltReport {
  summary: Summary;
  files: { json: string; md: string };
}

export async function buildReport(runDir: string): Promise<BuiltReport> {
  const dir = resolve(runDir);
  if (!existsSync(dir)) {
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `run directory ${runDir} does not exist`, [{ file: dir, expected: 'a run directory' }]);
  }
  const samples = join(dir, RUN_FILES.samples);
  if (!existsSync(samples)) {
    throw new StormlabError('SL_RUN_INCOMPLETE', `${runDir} has no ${RUN_FILES.samples}: nothing to report on`, [
      { file: samples, expected: 'the k6 --out json / native driver samples of the run' },
    ]);
  }
  const runFile = join(dir, RUN_FILES.run);
  const run = readRunMeta(runFile);
  const agg = await ingestSamples(samples, {
    thresholds: run?.thresholds,
    thresholdsSource: runFile,
    startMs: run?.startedAt ? Date.parse(run.startedAt) : undefined,
  });
  const ledgerFile = join(dir, RUN_FILES.ledger);
  const ledger = existsSync(ledgerFile) ? await ingestLedger(ledgerFile) : null;
  // the schema is the contract compare and gate read: never write a summary that breaks it
  const summary = SummarySchema.parse(summarize(agg, { ledger, run }));
  const files = { json: join(dir, RUN_FILES.summaryJson), md: join(dir, RUN_FILES.summaryMd) };
  await writeFile(files.json, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(files.md, renderMarkdown(summary));
  return { summary, files };
}
