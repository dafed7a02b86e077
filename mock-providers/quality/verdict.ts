/**
 * Is this answer adequate? Per call, from the fleet seed and the request alone:
 *   difficulty d  of the conversation's task (its first user message; difficulty.ts)
 *   capability c  of the model (fleet config, 0…1)
 *   P(adequate) = 1 / (1 + exp(−(c − d) / width))
 *   adequate    = u < P, u uniform from (fleet seed, the user messages)
 * u does not depend on the model, so on one request a more capable model is adequate whenever a
 * less capable one is (escalating never makes an answer worse), and the same seed and request
 * always give the same verdict.
 */
import type { Dist } from '../../core/dist-schema.js';
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

/** The user messages (all messages when there is none), each role kept apart from its text. */
function userTexts(messages: readonly ContentMessage[]): string[] {
  const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
  return users.length > 0 ? users : messages.map((m) => m.content);
}

export function judge(q: QualityModel, capability: number, messages: readonly ContentMessage[]): Verdict {
  const texts = userTexts(messages);
  const { difficulty, known } = difficultyOf(q.table, q.unknown, texts[0] ?? '');
  let requestKey = 0;
  for (const t of texts) requestKey = hash32(`${requestKey}\u0000${t}`);
  const p = pAdequate(capability, difficulty, q.width);
  const u = new Rng(deriveSeed(q.seed, 'quality', requestKey)).uniform();
  return { adequate: u < p, p, difficulty, known, requestKey };
}
