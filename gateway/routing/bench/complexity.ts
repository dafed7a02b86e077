/**
 * Complexity classifier bench: accuracy, precision and recall (of `complex`) on the shipped
 * labelled prompts, per split, against the best rule that goes by length alone; and the cost of
 * one classification in µs.   npx tsx gateway/routing/bench/complexity.ts
 */
import { classifyComplexity } from '../complexity.js';
import { lengthOnlyAccuracy, loadLabelled, score, type LabelledPrompt } from '../complexity-eval.js';

const prompts = loadLabelled();
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function line(name: string, ps: readonly LabelledPrompt[]): string {
  const s = score(ps, (t) => classifyComplexity(t).level);
  const len = lengthOnlyAccuracy(ps);
  return `${name.padEnd(8)} n=${String(s.n).padStart(3)}  accuracy ${pct(s.accuracy)}  precision ${pct(s.precision)}  `
    + `recall ${pct(s.recall)}  (length alone: ${pct(len)})`;
}

console.log('complexity classifier on gateway/routing/complexity-labelled.json');
console.log(line('tuning', prompts.filter((p) => p.split === 'tuning')));
console.log(line('holdout', prompts.filter((p) => p.split === 'holdout')));
console.log(line('all', prompts));

const texts = prompts.map((p) => p.text);
const meanChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
let sink = 0;
for (let i = 0; i < 200; i++) for (const t of texts) sink += classifyComplexity(t).score; // warm up
const rounds = 300;
const start = process.hrtime.bigint();
for (let i = 0; i < rounds; i++) for (const t of texts) sink += classifyComplexity(t).score;
const us = Number(process.hrtime.bigint() - start) / 1000 / (rounds * texts.length);
(globalThis as { benchSink?: number }).benchSink = sink; // keeps the loop from being optimised away
console.log(`${us.toFixed(2)} µs per classification (mean prompt ${meanChars.toFixed(0)} chars)`);
