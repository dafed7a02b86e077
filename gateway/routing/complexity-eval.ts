/**
 * Scoring a complexity classifier against the shipped labelled prompts (complexity-labelled.json):
 * accuracy, and precision / recall of `complex`. Used by complexity.test.ts and the bench.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { COMPLEXITY_LEVELS, type ComplexityLevel } from './complexity.js';

const LabelledSchema = z.strictObject({
  description: z.string(),
  prompts: z.array(
    z.strictObject({ split: z.enum(['tuning', 'holdout']), label: z.enum(COMPLEXITY_LEVELS), text: z.string().min(1) }),
  ),
});
export type LabelledPrompt = z.output<typeof LabelledSchema>['prompts'][number];

export const LABELLED_FILE = new URL('./complexity-labelled.json', import.meta.url);

export function loadLabelled(): LabelledPrompt[] {
  return LabelledSchema.parse(JSON.parse(readFileSync(LABELLED_FILE, 'utf8'))).prompts;
}

export interface Score {
  readonly n: number;
  readonly accuracy: number;
  /** of the prompts called complex, the share labelled complex */
  readonly precision: number;
  /** of the prompts labelled complex, the share called complex */
  readonly recall: number;
}

export function score(prompts: readonly LabelledPrompt[], classify: (text: string) => ComplexityLevel): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let ok = 0;
  for (const p of prompts) {
    const got = classify(p.text);
    if (got === p.label) ok++;
    if (got === 'complex' && p.label === 'complex') tp++;
    if (got === 'complex' && p.label === 'simple') fp++;
    if (got === 'simple' && p.label === 'complex') fn++;
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const n = prompts.length;
  return { n, accuracy: ratio(ok, n), precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

/** The best accuracy any "longer than N characters is complex" rule reaches: what length alone decides. */
export function lengthOnlyAccuracy(prompts: readonly LabelledPrompt[]): number {
  let best = 0;
  const lengths = [...new Set(prompts.map((p) => p.text.length))];
  for (const n of lengths) {
    best = Math.max(best, score(prompts, (t) => (t.length > n ? 'complex' : 'simple')).accuracy);
  }
  return best;
}
