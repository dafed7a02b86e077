/**
 * What a report is built from: run directories (samples plus the files beside them) and bare
 * sample files (`samples.ndjson`, `.ndjson.gz`). Several inputs are several runners of one test
 * (k6-operator style): their samples merge into one report, their ledgers and chaos logs add up.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StormlabError } from '../core/errors.js';
import { readRunMeta, type RunMeta } from './run-meta.js';

export const RUN_FILES = {
  samples: 'samples.ndjson',
  samplesGz: 'samples.ndjson.gz',
  ledger: 'ledger.ndjson',
  chaos: 'chaos.ndjson',
  metrics: 'metrics.prom',
  run: 'run.json',
  spec: 'spec.json',
  gateway: 'gateway.json',
  fleet: 'fleet.json',
  summaryJson: 'summary.json',
  summaryMd: 'summary.md',
  html: 'index.html',
} as const;

export interface RunInput {
  /** the run directory, or null for a bare samples file */
  dir: string | null;
  samples: string;
}

/** A run directory or a samples file; a clear error when it is neither. */
export function resolveInput(path: string): RunInput {
  const p = resolve(path);
  if (!existsSync(p)) {
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `${path} does not exist`, [{ file: p, expected: 'a run directory or a samples file (.ndjson, .ndjson.gz)' }]);
  }
  if (!statSync(p).isDirectory()) return { dir: null, samples: p };
  for (const name of [RUN_FILES.samples, RUN_FILES.samplesGz]) {
    if (existsSync(join(p, name))) return { dir: p, samples: join(p, name) };
  }
  throw new StormlabError('SL_RUN_INCOMPLETE', `${path} has no ${RUN_FILES.samples}: nothing to report on`, [
    { file: join(p, RUN_FILES.samples), expected: 'the k6 --out json / native driver samples of the run' },
  ]);
}

/** Files of `name` (or `name.gz`) in the inputs' run directories, in input order. */
export function sideFiles(inputs: RunInput[], name: string): string[] {
  const out: string[] = [];
  for (const i of inputs) {
    if (!i.dir) continue;
    for (const n of [name, `${name}.gz`]) {
      const f = join(i.dir, n);
      if (existsSync(f)) {
        out.push(f);
        break;
      }
    }
  }
  return out;
}

/**
 * run.json of the inputs, merged: the first one's spec, driver and thresholds; the earliest
 * start and the latest end; the plans of the runners added up; interrupted when any runner was
 * (the first one that was says how). Null when no input has one.
 */
export function mergedRunMeta(inputs: RunInput[]): { meta: RunMeta | null; source: string | null } {
  const files = sideFiles(inputs, RUN_FILES.run).filter((f) => f.endsWith('.json'));
  const metas = files.map((f) => readRunMeta(f)).filter((m): m is RunMeta => m !== null);
  const first = metas[0];
  if (!first) return { meta: null, source: null };
  const times = (pick: (m: RunMeta) => string | undefined) => metas.map(pick).filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b));
  const starts = times((m) => m.startedAt);
  const ends = times((m) => m.endedAt);
  const stopped = metas.find((m) => m.status !== undefined && m.status !== 'complete') ?? metas.find((m) => m.interrupted);
  const merged: RunMeta = { ...first, startedAt: starts[0] ?? first.startedAt };
  merged.endedAt = ends[ends.length - 1] ?? first.endedAt;
  if (metas.length > 1) {
    const plans = metas.map((m) => m.planned);
    if (plans.every((p) => p !== undefined)) {
      const requests = plans.map((p) => p.requests);
      merged.planned = {
        durationMs: Math.max(...plans.map((p) => p.durationMs)),
        requests: requests.every((r) => r !== null) ? requests.reduce((a, b) => a + b, 0) : null,
      };
    } else delete merged.planned;
    if (stopped) {
      merged.status = stopped.status;
      merged.interrupted = stopped.interrupted;
    }
  }
  return { meta: merged, source: files[0] ?? null };
}
