/**
 * Reading a summary.json back (compare, gate): validated against the current schema, older
 * versions upgraded first. Version 1 lacks the percentile curves, the false-hit rate, the
 * failed-attempt and saved-by-cache figures, the chaos log and the metrics snapshot; version 2
 * lacks `run.interrupted` and the answer quality: they read as "no data" (empty curves, nulls),
 * never as zero, and a run without the marker reads as not interrupted (before version 3 an
 * interrupted run wrote no summary).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../core/config-file.js';
import { StormlabError } from '../core/errors.js';
import { SummarySchema, SUMMARY_VERSION, type Summary } from './summary-schema.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Version 1 → 2: the new blocks, empty. */
function upgradeV1(v1: Json): Json {
  const cache = isObject(v1.cache) ? v1.cache : {};
  const cost = isObject(v1.cost) ? v1.cost : {};
  const ingest = isObject(v1.ingest) ? v1.ingest : {};
  const upstream = isObject(v1.upstream) ? { failedCalls: 0, failedCostUsd: 0, ...v1.upstream } : v1.upstream;
  return {
    ...v1,
    version: 2,
    distributions: { ttft_ms: [], e2e_ms: [], itl_ms: [] },
    cache: { falseHits: null, falseHitChecked: 0, falseHitRate: null, ...cache },
    cost: {
      perRequestSdUsd: null,
      failedAttemptsUsd: null,
      unexplainedUsd: null,
      gatewayUsd: null,
      savedByCache: { usd: null, requests: 0, tokensIn: 0, tokensOut: 0, basis: 'unknown: summary version 1 does not record it' },
      ...cost,
    },
    upstream,
    chaos: null,
    gateway: null,
    ingest: { sources: [], ...ingest },
  };
}

/** Version 2 → 3: `run.interrupted` null (not interrupted), no answer quality. */
function upgradeV2(v2: Json): Json {
  const run = isObject(v2.run) ? { run: { interrupted: null, ...v2.run } } : {};
  return { ...v2, version: 3, quality: null, ...run };
}

/** Validate a parsed summary.json of any known version, upgraded to the current one. */
export function parseSummary(value: unknown, source: string): Summary {
  let v = value;
  if (isObject(v) && v.version === 1) v = upgradeV1(v);
  if (isObject(v) && v.version === 2) v = upgradeV2(v);
  if (isObject(v) && typeof v.version === 'number' && v.version > SUMMARY_VERSION) {
    throw new StormlabError('SL_CONFIG_INVALID', `${source} is summary version ${v.version}; this stormlab reads up to version ${SUMMARY_VERSION}`, [
      { file: source, path: 'version', expected: `1 … ${SUMMARY_VERSION}`, received: String(v.version) },
    ]);
  }
  return validate(SummarySchema, v, source, 'summary');
}

export function readSummaryFile(file: string): Summary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${file}${code ? ` (${code})` : ''}`, [{ file, expected: 'a summary.json' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StormlabError('SL_CONFIG_PARSE', `${file} is not valid JSON: ${(e as Error).message}`, [{ file, expected: 'a summary.json' }]);
  }
  return parseSummary(json, file);
}

/** Where the summary of a run directory or a summary file is. */
export function summaryPathOf(path: string): { dir: string | null; file: string } {
  if (existsSync(path) && statSync(path).isDirectory()) return { dir: path, file: join(path, 'summary.json') };
  return { dir: null, file: path };
}
