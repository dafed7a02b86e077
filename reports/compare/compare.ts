/**
 * N runs side by side: their summaries, and how their resolved spec, gateway config and fleet
 * differ from the first run's (the reference every delta is taken against).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { loadRun, uniqueNames, type LoadedRun } from '../run-ref.js';
import { RUN_FILES } from '../run-inputs.js';
import type { Summary } from '../summary-schema.js';
import { diffJson, type JsonDifference } from './diff.js';

export const CONFIG_FILES = [RUN_FILES.spec, RUN_FILES.gateway, RUN_FILES.fleet] as const;

export interface ComparedRun {
  name: string;
  dir: string | null;
  summary: Summary;
}

export interface ConfigDiff {
  file: string;
  /** the run compared with the reference (the first run) */
  run: string;
  /** why there is no diff: a file missing on one side */
  missing: string | null;
  differences: JsonDifference[];
  truncated: boolean;
}

export interface Comparison {
  runs: ComparedRun[];
  configDiffs: ConfigDiff[];
}

function readJson(dir: string | null, file: string): unknown {
  if (!dir) return undefined;
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function configDiffs(runs: ComparedRun[]): ConfigDiff[] {
  const [ref, ...others] = runs;
  if (!ref) return [];
  const out: ConfigDiff[] = [];
  for (const file of CONFIG_FILES) {
    const a = readJson(ref.dir, file);
    for (const r of others) {
      const b = readJson(r.dir, file);
      if (a === undefined && b === undefined) continue;
      if (a === undefined || b === undefined) {
        out.push({ file, run: r.name, missing: a === undefined ? ref.name : r.name, differences: [], truncated: false });
        continue;
      }
      out.push({ file, run: r.name, missing: null, ...diffJson(a, b) });
    }
  }
  return out;
}

export async function compareRuns(paths: string[]): Promise<Comparison> {
  if (paths.length < 2) throw new StormlabError('SL_USAGE', 'compare needs at least two runs (run directories or summary.json files)');
  const loaded: LoadedRun[] = [];
  for (const p of paths) loaded.push(await loadRun(p));
  const names = uniqueNames(loaded);
  const runs = loaded.map((r, i) => ({ name: names[i] as string, dir: r.dir, summary: r.summary }));
  return { runs, configDiffs: configDiffs(runs) };
}
