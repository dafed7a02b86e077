/**
 * run.json: what the CLI records about a run (spec, driver, TTFT definition, times, the
 * spec's thresholds). Optional for a report; loose so fields added later do not break
 * rebuilding old runs, but what the report reads is checked.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadConfigFile } from '../core/config-file.js';

const isoTime = z.iso.datetime({ offset: true, message: 'an ISO 8601 time such as 2026-11-21T17:36:00.000Z' });

export const RunMetaSchema = z.object({
  spec: z.string().optional(),
  driver: z.enum(['native', 'k6']).optional(),
  ttftDefinition: z.enum(['first-content-chunk', 'first-byte']).optional(),
  target: z.string().optional(),
  seed: z.number().optional(),
  startedAt: isoTime.optional(),
  endedAt: isoTime.optional(),
  /**
   * `running` from the start of the load until the CLI writes the end (a run.json still `running`
   * belongs to a CLI that died), then `complete`, `interrupted` (first signal), `aborted` (second)
   * or `failed` (an error ended it)
   */
  status: z.enum(['running', 'complete', 'interrupted', 'aborted', 'failed']).optional(),
  /** what the schedule planned: its length, and its starts (null for the closed model) */
  planned: z.object({ durationMs: z.number().nonnegative(), requests: z.int().nonnegative().nullable() }).optional(),
  /** the first signal, and how many in-flight requests its grace cut (null when unknown, e.g. under k6) */
  interrupted: z.object({ at: isoTime, signal: z.string(), cut: z.int().nonnegative().nullable() }).optional(),
  /** the spec's thresholds, as written in the spec (expressions are checked when evaluated) */
  thresholds: z.record(z.string(), z.array(z.union([z.string(), z.looseObject({ threshold: z.string() })]))).default({}),
});
export type RunMeta = z.output<typeof RunMetaSchema>;

/** Read run.json when it exists (null when it does not); bad JSON or fields are a clear error. */
export function readRunMeta(file: string): RunMeta | null {
  if (!existsSync(file)) return null;
  return loadConfigFile(RunMetaSchema, file, 'run metadata');
}
