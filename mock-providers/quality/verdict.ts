/**
 * Is this answer adequate? Per call, from the fleet seed and the request alone:
 *   difficulty d  of the conversation's task (its first user message; difficulty.ts)
 *   capability c  of the model (fleet config, 0…1)
 *   P(adequate) = 1 / (1 + exp(−(c − d) / width))
 *   adequate    = u < P, u uniform from (fleet seed, the user messages' prompt keys)
 * u does not depend on the model, so on one request a more capable model is adequate whenever a
 * less capable one is (escalating never makes an answer worse), and the same seed and request
 * always give the same verdict.
 */
import type { Dist } from '../../core/dist-schema.js';
import { promptKey } from '../../core/prompt-key.js';
import { deriveSeed, hash32, Rng } from '../../core/random.js';
import type { ContentMessage } from '../content.js';
import { difficultyOf, type DifficultyTable } from './difficulty.js';

export interface QualityModel {
  seed: number;
  table: DifficultyTable;
  unknown: Dist;
  width: number;
}

export interface Verdict {
  adequate: boolean;
  /** P(adequate) for this model and prompt */
  p: number;
  difficulty: number;
  /** the difficulty came from a file (not drawn for an unknown prompt) */
  known: boolean;
  /** a key of the request's user messages: seeds the verdict and the log-probabilities */
  requestKey: number;
}

export function pAdequate(capability: number, difficulty: number, width: number): number {
  return 1 / (1 + Math.exp(-(capability - difficulty) / width));
}

/** The user messages (all messages when there is none). */
function userTexts(messages: readonly ContentMessage[]): string[] {
  const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
  return users.length > 0 ? users : messages.map((m) => m.content);
}

/**
 * Prompt keys of long texts, by text: a load repeats its prompts, and V8 hashes a string several
 * times faster than FNV in JS does.
 */
const KEY_CACHE_LIMIT = 4096;
const LONG = 256;
let keyCache = new Map<string, string>();

function keyOf(text: string): string {
  if (text.length < LONG) return promptKey(text);
  let key = keyCache.get(text);
  if (key === undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache = new Map();
    keyCache.set(text, (key = promptKey(text)));
  }
  return key;
}

export function judge(q: QualityModel, capability: number, messages: readonly ContentMessage[]): Verdict {
  const keys = userTexts(messages).map(keyOf);
  const { difficulty, known } = difficultyOf(q.table, q.unknown, keys[0] ?? promptKey(''));
  const requestKey = hash32(keys.join('|'));
  const p = pAdequate(capability, difficulty, q.width);
  const u = new Rng(deriveSeed(q.seed, 'quality', requestKey)).uniform();
  return { adequate: u < p, p, difficulty, known, requestKey };
}
