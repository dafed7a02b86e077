/**
 * Finding, loading and overriding scenario specs (Node only: reads files, uses zod).
 * A bare name (`baseline`) means the built-in `scenarios/specs/<name>.yaml`; anything with a
 * slash or a .yaml/.yml/.json ending is a path.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../core/config-file.js';
import { StormlabError, type ErrorDetail } from '../core/errors.js';
import { inlineDatasets } from './dataset.js';
import { totalDurationMs } from './schedule.js';
import { SpecSchema, type Arrival, type Spec } from './spec-schema.js';

/** Directory of the built-in specs. */
export const SPECS_DIR = fileURLToPath(new URL('./specs/', import.meta.url));

const SPEC_EXT = /\.(ya?ml|json)$/i;

/** Names of the built-in specs, sorted. */
export function listSpecs(): string[] {
  if (!existsSync(SPECS_DIR)) return [];
  return readdirSync(SPECS_DIR)
    .filter((f) => /\.ya?ml$/i.test(f))
    .map((f) => f.replace(/\.ya?ml$/i, ''))
    .sort();
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || SPEC_EXT.test(s) || isAbsolute(s);
}

/** A spec name or path → an absolute file path. Unknown bare names list the built-in ones. */
export function resolveSpecFile(nameOrPath: string): string {
  if (looksLikePath(nameOrPath)) return resolve(nameOrPath);
  for (const ext of ['.yaml', '.yml']) {
    const file = resolve(SPECS_DIR, `${nameOrPath}${ext}`);
    if (existsSync(file)) return file;
  }
  const names = listSpecs();
  throw new StormlabError(
    'SL_SPEC_UNKNOWN',
    `no built-in spec named "${nameOrPath}" (built-in: ${names.join(', ') || 'none'}); pass a path to use your own file`,
    [{ path: 'spec', expected: `one of ${names.join(', ')} or a path to a .yaml file`, received: nameOrPath }],
  );
}

/**
 * Load and validate a spec by name or path. Dataset prompt sources are read (relative to the
 * spec file) and inlined as `items`, so the resolved spec — what a run directory keeps and what a
 * k6 bundle embeds — is self-contained.
 */
export function loadSpec(nameOrPath: string): { spec: Spec; file: string } {
  const file = resolveSpecFile(nameOrPath);
  return { spec: inlineDatasets(loadConfigFile(SpecSchema, file, 'scenario spec'), file), file };
}

export interface SpecOverrides {
  /** run length in ms */
  durationMs?: number;
  /** constant arrival rate in requests per second */
  rate?: number;
  /** workload seed */
  seed?: number;
}

function usage(path: string, expected: string, received: unknown): StormlabError {
  const detail: ErrorDetail = { path, expected, received: String(received) };
  return new StormlabError('SL_USAGE', `invalid override ${path}: expected ${expected}, received ${String(received)}`, [detail]);
}

/**
 * Apply command-line overrides to a parsed spec (returns a new spec; the input is untouched).
 * - `rate`: the arrival becomes constant-arrival-rate at `rate` per second (timeUnit 1s), for
 *   `durationMs` if given, else for the spec's total duration; maxInFlight and poisson are kept
 *   (a closed-model spec gets the defaults: 512, even).
 * - `durationMs` alone: constant and constant-vus → their duration; ramping → every stage scaled
 *   by the same factor (stage boundaries rounded to whole ms; the total is exact).
 * - `seed`: workload.seed (which also reseeds Poisson arrivals).
 * Whenever the total duration changes, the chaos timeline is scaled by the same factor (a fault
 * 20 s into a 60 s spec starts 1 s into a 3 s run), so a short run still meets every fault.
 */
export function applyOverrides(spec: Spec, o: SpecOverrides): Spec {
  if (o.durationMs !== undefined && !(Number.isFinite(o.durationMs) && o.durationMs > 0)) {
    throw usage('duration', 'a positive duration such as 30s', o.durationMs);
  }
  if (o.rate !== undefined && !(Number.isFinite(o.rate) && o.rate > 0)) {
    throw usage('rate', 'a positive number of requests per second', o.rate);
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) {
    throw usage('seed', 'an integer from 0 to 4294967295', o.seed);
  }
  let arrival: Arrival = spec.arrival;
  if (o.rate !== undefined) {
    const open = spec.arrival.executor === 'constant-vus' ? { maxInFlight: 512, poisson: false } : spec.arrival;
    arrival = {
      executor: 'constant-arrival-rate',
      rate: o.rate,
      timeUnit: 1000,
      duration: o.durationMs ?? totalDurationMs(spec.arrival),
      maxInFlight: open.maxInFlight,
      poisson: open.poisson,
    };
  } else if (o.durationMs !== undefined) {
    arrival = withDuration(spec.arrival, o.durationMs);
  }
  const workload = o.seed !== undefined ? { ...spec.workload, seed: o.seed } : spec.workload;
  const before = totalDurationMs(spec.arrival);
  const after = totalDurationMs(arrival);
  const chaos = before > 0 && after !== before ? scaleChaos(spec.chaos, after / before) : spec.chaos;
  return { ...spec, arrival, workload, chaos };
}

/** A chaos timeline with every offset and length multiplied by `factor` (whole ms, lengths ≥ 1 ms). */
export function scaleChaos(chaos: Spec['chaos'], factor: number): Spec['chaos'] {
  return chaos.map((e) => {
    const scaled = { ...e, at: Math.round(e.at * factor) };
    if (e.for !== undefined) scaled.for = Math.max(1, Math.round(e.for * factor));
    return scaled;
  });
}

function withDuration(arrival: Arrival, durationMs: number): Arrival {
  if (arrival.executor !== 'ramping-arrival-rate') return { ...arrival, duration: durationMs };
  const total = totalDurationMs(arrival);
  const n = arrival.stages.length;
  // scale the cumulative stage boundaries, so rounding never drifts and the last one is exact
  let cum = 0;
  let prev = 0;
  const stages = arrival.stages.map((s, i) => {
    cum += s.duration;
    const boundary = i === n - 1 ? durationMs : total > 0 ? Math.round((cum * durationMs) / total) : 0;
    const duration = boundary - prev;
    prev = boundary;
    return { ...s, duration };
  });
  return { ...arrival, stages };
}
