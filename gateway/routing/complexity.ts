/**
 * A cheap heuristic classifier of how demanding a prompt is, for the `complexity` strategy:
 * `simple` (a lookup, a translation, an extraction, a rewrite or summary of text given in the
 * prompt — one step, however long the text) or `complex` (reasoning, proofs, design, code to
 * write or debug, analysis with trade-offs, multi-step asks — however short the ask).
 *
 * It reads the last user message (the ask; system prompts are the same for every request of an
 * app and would drown it), at most its first `MAX_CHARS` characters, and adds up signals:
 * - quoted text ("…", «…», text after a colon that is a quotation) is material to work on, not
 *   the ask: the instruction is what remains, and only its length counts, weakly;
 * - a fenced code block, or code-like lines, means code to read or write (strong);
 * - demanding verbs and phrases (prove, derive, design, implement, debug, optimise, compare,
 *   trade-offs, why …, how would you …) raise the score; transformation verbs and lookups
 *   (translate, extract, define, what is, how many, fix the typo …) lower it;
 * - multi-step asks (first … then …, step by step, numbered steps) and mathematics raise it.
 * The level is `complex` when the score reaches the threshold (`COMPLEXITY_THRESHOLD`, or the
 * strategy's `threshold` option).
 *
 * Accuracy, precision and recall on the shipped labelled set (complexity-labelled.json) are
 * printed by `npx tsx gateway/routing/bench/complexity.ts`; complexity.test.ts holds a floor.
 * The set was written together with the rules, so its figure is optimistic for other prompts.
 */
import type { ChatRequest } from '../domain/request.js';

export const COMPLEXITY_LEVELS = ['simple', 'complex'] as const;
export type ComplexityLevel = (typeof COMPLEXITY_LEVELS)[number];

/** Score at and above which a prompt is `complex`. */
export const COMPLEXITY_THRESHOLD = 1.5;
/** Characters of the ask examined; the signals are in its opening. */
export const MAX_CHARS = 4000;

export interface Complexity {
  readonly level: ComplexityLevel;
  readonly score: number;
}

interface Signal {
  readonly re: RegExp;
  readonly weight: number;
}

/** Demanding asks, matched against the instruction (quoted material removed). */
const DEMANDING: readonly Signal[] = [
  { re: /\b(prove|proof|derive|derivation|induction|undecidable|irrational)\b/i, weight: 3 },
  { re: /\b(design|architect(ure)?|implement|refactor|debug|optimi[sz]e|parser|algorithm)\b/i, weight: 2.5 },
  { re: /\b(trade-?offs?|pros and cons|weigh|critique|evaluate|justify|argue|both sides|ethical)\b/i, weight: 2.5 },
  { re: /\b(compare|analy[sz]e|analysis|estimate|model the|investigate|root cause|plan)\b/i, weight: 2 },
  { re: /^\s*(why|how (does|do|would|should|can)|when should|should (we|i)|is it)\b/i, weight: 2 },
  { re: /\b(explain|reason(ing)?|walk me through|step by step|show (each|your|the) )/i, weight: 1.5 },
  { re: /\b(why|how (would|do|does|should) (you|i|we|it)|what would happen|consider|risks?|identify)\b/i, weight: 1 },
  { re: /\b(deterministic|flaky|fairly|conflicts?|differs?|difference between|versus|vs\.?)\b/i, weight: 1 },
  { re: /\b(concurren\w*|distributed|thread-safe|lock-free|latency|complexity|consisten\w*|scal\w+)\b/i, weight: 1 },
  { re: /\b(write|build) (a|an|me a)\b.*\b(function|class|script|query|parser|server|crawler|system)\b/i, weight: 2 },
  { re: /\b(schema|database|index(es|ing)?|kubernetes|sql|api|cache|caching|sandbox|migration)\b/i, weight: 1 },
];

/** Transformations and lookups. */
const LIGHT: readonly Signal[] = [
  { re: /\b(translate|translation|proofread|spell|capitali[sz]e|lowercase|uppercase|reformat|format)\b/i, weight: -2 },
  { re: /\b(extract|copy|replace|count|sort|tag|label|classify|shorten|rewrite|correct)\b/i, weight: -1.5 },
  { re: /\b(synonym|antonym|plural|past tense|define|definition|meaning|stand for|mean\?)/i, weight: -2 },
  { re: /^\s*(what('s| is| does| year| time)|who|which|where|how many|how do you say|is an?|give)\b/i, weight: -1.5 },
  { re: /\b(summari[sz]e|in one sentence|bullet(ed)? (list|points)|numbered list|one-line)\b/i, weight: -1.5 },
  { re: /\b(title|name) for\b/i, weight: -1.5 },
  { re: /\b(tell me a joke|say hello|thanks?|reply|greeting|out-of-office|recommend a)\b/i, weight: -1 },
];

const CODE_FENCE = /```/;
const CODE_LINE = /(^|\n)\s*(def |class |function |const |let |for \(|if \(|return |import |#include|\w+\(.*\)\s*\{)/;
const MATH = /(\d\s*[a-z]\^\d|[a-z]\^\d|\bO\(\w|[∑∫√≤≥]|\d\s*[*/]\s*\d|=\s*0\b)/i;
const MULTI_STEP = /\b(first\b.*\bthen\b|then\b.*\b(finally|and then)|step by step|each step|in order)\b/is;
const QUOTED = /"[^"]{12,}"|“[^”]{12,}”|«[^»]{12,}»/g;

/** The ask without the material it quotes, and whether it carried code. */
function instruction(text: string): string {
  return text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(QUOTED, ' "…" ');
}

/** Scores the prompt text and names its level. */
export function classifyComplexity(prompt: string, threshold = COMPLEXITY_THRESHOLD): Complexity {
  const text = prompt.length > MAX_CHARS ? prompt.slice(0, MAX_CHARS) : prompt;
  const ask = instruction(text);
  let score = 0;
  for (const s of DEMANDING) if (s.re.test(ask)) score += s.weight;
  for (const s of LIGHT) if (s.re.test(ask)) score += s.weight;
  if (CODE_FENCE.test(text)) score += 3;
  else if (CODE_LINE.test(text)) score += 1.5;
  if (MATH.test(ask)) score += 1.5;
  if (MULTI_STEP.test(ask)) score += 1.5;
  const words = ask.split(/\s+/).filter(Boolean).length;
  score += Math.min(1.5, words / 40);
  if ((ask.match(/\?/g)?.length ?? 0) >= 2) score += 0.5;
  return { level: score >= threshold ? 'complex' : 'simple', score };
}

/** The text of the request's last user message (string content or its text parts). */
export function promptText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (!Array.isArray(m.content)) return '';
    return m.content
      .map((p) => (typeof p === 'object' && p !== null && 'text' in p && typeof p.text === 'string' ? p.text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}
