/**
 * summary.json's JSON Schema, generated from the zod schema (the source of truth) and published
 * as docs/summary.schema.json. Regenerate after changing summary-schema.ts:
 *   npx tsx reports/json-schema.ts --write
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SummarySchema, SUMMARY_VERSION } from './summary-schema.js';

export const SUMMARY_JSON_SCHEMA_FILE = fileURLToPath(new URL('../docs/summary.schema.json', import.meta.url));

/** What each top-level block holds (conventions: times in ms, money in USD, rates 0–1, "no data" is null). */
const BLOCKS: Record<string, string> = {
  version: 'Summary format version; readers upgrade older versions.',
  run: 'What ran: spec, driver, TTFT definition, target, seed, start, end, duration, and whether it was interrupted.',
  totals: 'Requests (http_reqs), ok, errors (http_req_failed = 1), dropped starts, rate and error rate.',
  latency: 'HDR percentiles per latency metric (TTFT, E2E, ITL, queue, schedule lag), in ms.',
  distributions: 'HDR percentile curves (percentile p → ms) for the distribution charts and the gate.',
  cache: 'Cache lookups, hits, hit rate, and false hits (answers cached for another intent) when the samples tell.',
  cost: 'Cost of the answers, per 1k requests, the ledger reconciliation, failed attempts, and what the cache saved.',
  tokens: 'Tokens in and out.',
  attempts: 'Upstream attempts per request as the gateway reported them.',
  statuses: 'Requests by HTTP status.',
  errors: 'Failed requests by error tag.',
  breakdowns: 'Request-level figures by provider, region, class, model and cache outcome.',
  upstream: "The mock fleet's ledger: every upstream call, retries and failovers included.",
  quality: "Share of adequate answers (the mock fleet's verdicts) per request, class, model and provider.",
  chaos: "The mock fleet's chaos events (fault starts and stops), in seconds since the start.",
  gateway: "The gateway's /metrics snapshot at the end of the run.",
  thresholds: 'The spec thresholds, evaluated like k6.',
  ingest: 'What was read: lines, points, bad lines (counted, never fatal), merged inputs.',
  timeseries: 'One row per second of the run: requests, errors, dropped starts, TTFT and E2E percentiles.',
};

export function summaryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SummarySchema, { target: 'draft-2020-12' }) as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
  for (const [key, description] of Object.entries(BLOCKS)) {
    const prop = schema.properties[key];
    if (prop) schema.properties[key] = { description, ...prop };
  }
  return { ...schema, title: `stormlab summary.json (version ${SUMMARY_VERSION})` };
}

export function summaryJsonSchemaText(): string {
  return `${JSON.stringify(summaryJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  writeFileSync(SUMMARY_JSON_SCHEMA_FILE, summaryJsonSchemaText());
  console.log(`wrote ${SUMMARY_JSON_SCHEMA_FILE}`);
}
