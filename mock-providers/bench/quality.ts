/**
 * `npx tsx mock-providers/bench/quality.ts`: what the quality model adds to a call, beside the
 * JSON.parse of the same request body measured in the same run (the work every call does anyway).
 * Prints µs per call and the ratio for a short FAQ prompt and a prompt with a ~4.6 KB document
 * (a fresh string per call, as a parsed body gives), and the log-probabilities of a 150-token
 * answer with 0 and 5 alternatives. A few seconds; one core.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { completionPieces } from '../content.js';
import { createQualityModel, judge, QualitySchema, tokenLogprobs } from '../quality/index.js';

const FAMILIES = new URL('../../scenarios/data/prompt-families.json', import.meta.url);
const shipped = JSON.parse(readFileSync(FAMILIES, 'utf8')) as { documents: Record<string, string> };
const q = createQualityModel(1, QualitySchema.parse(undefined));

/** µs per call of `f`, the best of three rounds of `n` after a warm-up */
function usPerCall(n: number, f: () => unknown): number {
  for (let i = 0; i < Math.min(n, 2000); i++) f();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

const bodyOf = (user: string): string =>
  JSON.stringify({ model: 'm', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: user }] });
type Body = { messages: Array<{ role: string; content: string }> };
const cases = [
  ['FAQ prompt', 'How do I cancel my subscription?', 50_000],
  ['4.6 KB document', `Summarize this incident report.\n\n${shipped.documents['incident-a']}`, 5_000],
] as const;

for (const [label, user, n] of cases) {
  const body = bodyOf(user);
  const parse = usPerCall(n, () => JSON.parse(body));
  const both = usPerCall(n, () => judge(q, 0.6, (JSON.parse(body) as Body).messages));
  const verdict = both - parse;
  const ratio = (verdict / parse).toFixed(2);
  console.log(`${label.padEnd(16)} parse ${parse.toFixed(2)} µs · verdict +${verdict.toFixed(2)} µs (${ratio}× the parse)`);
}

const messages = [{ role: 'user', content: 'How do I cancel my subscription?' }];
const v = judge(q, 0.6, messages);
const pieces = completionPieces(1, 'm', messages, 150);
for (const top of [0, 5]) {
  const us = usPerCall(5_000, () => tokenLogprobs(1, 'm', v, pieces, top));
  console.log(`logprobs, 150 tokens, top ${top}: ${us.toFixed(1)} µs`);
}
