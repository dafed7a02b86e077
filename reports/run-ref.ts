/**
 * A run as compare and gate take it: a run directory (its summary.json, built from its samples
 * when it has none yet) or a summary.json file (a CI artifact of a baseline run).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StormlabError } from '../core/errors.js';
import { buildReport } from './build.js';
import { RUN_FILES } from './run-inputs.js';
import { readSummaryFile } from './summary-read.js';
import type { Summary } from './summary-schema.js';

export interface LoadedRun {
  /** a short label: the run directory's name */
  name: string;
  /** the run directory, or null when given a summary file */
  dir: string | null;
  summary: Summary;
}

export async function loadRun(path: string, what = 'run'): Promise<LoadedRun> {
  const p = resolve(path);
  if (!existsSync(p)) {
    const hint = what === 'baseline' ? ': build one on the base branch first (`stormlab run <spec> --out DIR`) or pass its summary.json' : '';
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `${what} ${path} does not exist${hint}`, [{ file: p, expected: 'a run directory or a summary.json' }]);
  }
  if (!statSync(p).isDirectory()) {
    const name = basename(p) === RUN_FILES.summaryJson ? basename(dirname(p)) : basename(p).replace(/\.json$/, '');
    return { name, dir: null, summary: readSummaryFile(p) };
  }
  const file = join(p, RUN_FILES.summaryJson);
  if (existsSync(file)) return { name: basename(p), dir: p, summary: readSummaryFile(file) };
  if (existsSync(join(p, RUN_FILES.samples)) || existsSync(join(p, RUN_FILES.samplesGz))) {
    return { name: basename(p), dir: p, summary: (await buildReport(p)).summary };
  }
  throw new StormlabError('SL_RUN_INCOMPLETE', `${what} ${path} has neither ${RUN_FILES.summaryJson} nor ${RUN_FILES.samples}`, [
    { file, expected: 'a run directory written by `stormlab run`' },
  ]);
}

/** Labels that tell runs apart: the directory names, numbered when two are the same. */
export function uniqueNames(runs: LoadedRun[]): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    const total = runs.filter((x) => x.name === r.name).length;
    return total > 1 ? `${r.name} #${n}` : r.name;
  });
}
