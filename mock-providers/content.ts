/**
 * Deterministic completion text: a pure function of (fleet seed, model, request messages) and
 * the token count. Every piece is exactly four characters (a three-letter word and a space, a
 * two-letter word and ". " at a sentence end, a final "word."), so the piece count is the
 * completion_tokens reported and core/tokens `estimateTokens` of the joined text agrees exactly.
 */
import { deriveSeed, hash32, Rng } from '../core/random.js';

const WORDS = (
  'the and for are but not you all any can had her was one our out day get has him his how man new now ' +
  'old see two way who did its let put say she too use key map log run set top end fit low add big few ' +
  'job lot own far ask try yet sun sky sea air art act fix bit net'
).split(' ');
const ENDINGS = 'so up on in it at by to go do no we us me be as'.split(' ');

export interface ContentMessage {
  role: string;
  content: string;
}

/** A stable 32-bit key of a conversation (role and text of every message). */
export function messagesKey(messages: readonly ContentMessage[]): number {
  let h = 0;
  for (const m of messages) h = hash32(`${h}\u0000${m.role}\u0001${m.content}`);
  return h;
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** every piece there can be, built once: a call picks from these and allocates no strings */
const piecesOf = (list: readonly string[], suffix: string): { plain: string[]; capital: string[] } => {
  const plain = list.map((w) => `${w}${suffix}`);
  return { plain, capital: plain.map(cap) };
};
const WORD = piecesOf(WORDS, ' ');
const LAST = piecesOf(WORDS, '.');
const ENDING = piecesOf(ENDINGS, '. ');

/** Exactly `n` pieces of four characters each; the same inputs give the same pieces. */
export function completionPieces(seed: number, model: string, messages: readonly ContentMessage[], n: number): string[] {
  const rng = new Rng(deriveSeed(seed, 'content', model, messagesKey(messages)));
  const pick = (set: { plain: string[]; capital: string[] }, capital: boolean): string => {
    const list = capital ? set.capital : set.plain;
    return list[Math.floor(rng.uniform() * list.length)] ?? list[0]!;
  };
  const pieces = new Array<string>(n);
  let untilStop = rng.int(6, 14);
  let start = true;
  for (let i = 0; i < n; i++) {
    const ending = i !== n - 1 && --untilStop === 0;
    pieces[i] = pick(i === n - 1 ? LAST : ending ? ENDING : WORD, start);
    if (ending) untilStop = rng.int(6, 14);
    start = ending;
  }
  return pieces;
}

/** The plain word pieces completions are made of (alternatives for top log-probabilities). */
export const VOCABULARY: readonly string[] = WORD.plain;
