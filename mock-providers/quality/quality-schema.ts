/**
 * The fleet's `quality:` block: where prompt difficulties come from and how sharply a model's
 * capability separates adequate answers from inadequate ones (see quality/README in
 * mock-providers/README.md, "Answer quality").
 */
import { z } from 'zod';
import { DistSchema } from '../../core/dist-schema.js';

/** The difficulty of a prompt no table knows, drawn with a seed made of the prompt's text: bell-shaped around 0.45. */
export const DEFAULT_UNKNOWN_DIFFICULTY = {
  dist: 'empirical',
  percentiles: { p0: 0.05, p10: 0.2, p50: 0.45, p90: 0.7, p100: 0.9 },
} as const;

export const QualitySchema = z
  .strictObject({
    /**
     * difficulty files, read when the fleet starts: a table `{"prompts": [{"key", "difficulty"}]}`
     * (scenarios/data/difficulty.json) or a dataset of `{prompt, difficulty}` items (a JSON array or
     * JSONL). Relative paths resolve against the fleet file. Absent → the shipped table.
     */
    difficulties: z.array(z.string().min(1)).optional(),
    /** difficulty of a prompt the files do not list (clamped to 0…1) */
    unknownDifficulty: DistSchema.default(DEFAULT_UNKNOWN_DIFFICULTY),
    /** P(adequate) = 1 / (1 + exp(−(capability − difficulty) / width)) */
    width: z.number().positive().default(0.12),
  })
  .prefault({});
export type QualityConfig = z.output<typeof QualitySchema>;
