/**
 * capacity.json's JSON Schema, generated from the zod schema (the source of truth) and published
 * as docs/capacity.schema.json. Regenerate after changing schema.ts:
 *   npx tsx reports/capacity/json-schema.ts --write
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CapacityReportSchema } from './schema.js';

export const CAPACITY_JSON_SCHEMA_FILE = fileURLToPath(new URL('../../docs/capacity.schema.json', import.meta.url));

export function capacityJsonSchemaText(): string {
  const schema = z.toJSONSchema(CapacityReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const titled = {
    ...schema,
    title: 'stormlab capacity.json (version 1)',
    description: 'Per gateway config: every step of the knee search, the knee, where the limit came from, projections and warnings. '
      + 'Times in ms, money in USD, rates as fractions 0–1, no data as null.',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  writeFileSync(CAPACITY_JSON_SCHEMA_FILE, capacityJsonSchemaText());
  console.log(`wrote ${CAPACITY_JSON_SCHEMA_FILE}`);
}
