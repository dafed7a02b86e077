/**
 * The first user turn of a request, from the class's prompt source: generated prose of a drawn
 * size, a paraphrase of a shipped family (with its intent label), or an item of a dataset.
 * Pure TS (k6-safe).
 */
import type { Rng } from '../core/random.js';
import { chatPromptTokens, CHARS_PER_TOKEN, estimateTokens } from '../core/tokens.js';
import { familyUserText, selectFamilies, type PromptFamily } from './families.js';
import { proseOfLength } from './prompt-text.js';
import type { PromptSource, RequestClass } from './class-schema.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface FirstTurn {
  messages: ChatMessage[];
  /** the drawn size (generated) or the size of the chosen text */
  promptTokens: number;
  intent?: string;
  /** family id (families) */
  family?: string;
}

const SYSTEM_PROMPTS = [
  'You are a helpful assistant.',
  'You are a concise assistant. Answer in a few sentences.',
  'You are a support agent for a software company. Be accurate and polite.',
  'You are an analyst. Give structured, factual answers.',
];
const SHORT_SYSTEM = 'Be brief.';
const DEFAULT_SYSTEM = 'You are a helpful assistant.';

/** A system and a user message whose `chatPromptTokens` equals `promptTokens` (or the minimum overhead). */
export function buildMessages(rng: Rng, promptTokens: number): ChatMessage[] {
  const choice = SYSTEM_PROMPTS[Math.floor(rng.uniform() * SYSTEM_PROMPTS.length)] as string;
  // keep the system prompt at most a third of the budget; tiny budgets get the shortest one
  const system = estimateTokens(choice) * 3 <= promptTokens ? choice : SHORT_SYSTEM;
  const overhead = chatPromptTokens([{ content: system }, { content: '' }]);
  const userTokens = Math.max(1, promptTokens - overhead);
  const user = proseOfLength(rng, userTokens * CHARS_PER_TOKEN);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

type FamiliesSource = Extract<PromptSource, { source: 'families' }>;
interface FamilyPool {
  families: PromptFamily[];
  /** cumulative popularity weights */
  cumulative: number[];
}
const pools = new WeakMap<FamiliesSource, FamilyPool>();

function poolOf(src: FamiliesSource): FamilyPool {
  let pool = pools.get(src);
  if (!pool) {
    const families = selectFamilies(src.families);
    let total = 0;
    const cumulative = families.map((_, k) => (total += 1 / Math.pow(k + 1, src.zipf)));
    pool = { families, cumulative };
    pools.set(src, pool);
  }
  return pool;
}

/** A family by Zipf popularity, then the canonical wording or another paraphrase. */
export function pickParaphrase(src: FamiliesSource, rng: Rng): { family: PromptFamily; paraphrase: number } {
  const { families, cumulative } = poolOf(src);
  if (families.length === 0) throw new RangeError(`no prompt family matches ${JSON.stringify(src.families)}`);
  const x = rng.uniform() * cumulative[cumulative.length - 1]!;
  let k = 0;
  while (k < cumulative.length - 1 && cumulative[k]! <= x) k++;
  const family = families[k]!;
  const n = family.paraphrases.length;
  const canonical = rng.chance(src.canonicalShare) || n === 1;
  const paraphrase = canonical ? 0 : 1 + Math.floor(rng.uniform() * (n - 1));
  return { family, paraphrase };
}

/** The first turn of request `index` of a class; `promptTokens` is the drawn size for generated prompts. */
export function firstTurn(cls: RequestClass, rng: Rng, index: number, promptTokens = 64): FirstTurn {
  const src = cls.prompt;
  switch (src.source) {
    case 'generated':
      return { messages: buildMessages(rng, promptTokens), promptTokens };
    case 'families': {
      const { family, paraphrase } = pickParaphrase(src, rng);
      const messages: ChatMessage[] = [
        { role: 'system', content: family.system ?? DEFAULT_SYSTEM },
        { role: 'user', content: familyUserText(family, paraphrase) },
      ];
      return { messages, promptTokens: chatPromptTokens(messages), intent: family.intent, family: family.id };
    }
    case 'dataset': {
      const items = src.items;
      if (!items || items.length === 0) {
        throw new RangeError(`dataset ${src.file ?? ''} is not loaded: load the spec with loadSpec(), which inlines the file as items`);
      }
      const item = src.order === 'sequential' ? items[index % items.length]! : items[Math.floor(rng.uniform() * items.length)]!;
      const messages: ChatMessage[] = [
        { role: 'system', content: item.system ?? DEFAULT_SYSTEM },
        { role: 'user', content: item.prompt },
      ];
      const out: FirstTurn = { messages, promptTokens: chatPromptTokens(messages) };
      if (item.intent) out.intent = item.intent;
      return out;
    }
  }
}

const FOLLOW_UP_OPENERS = ['Thanks. ', 'OK, and ', 'Follow-up: ', 'Got it. ', 'One more thing: ', 'Can you clarify? '];

/** A follow-up user message of about `tokens` tokens. */
export function followUpText(rng: Rng, tokens: number): string {
  const opener = FOLLOW_UP_OPENERS[Math.floor(rng.uniform() * FOLLOW_UP_OPENERS.length)]!;
  const chars = Math.max(opener.length + 1, tokens * CHARS_PER_TOKEN);
  return `${opener}${proseOfLength(rng, chars - opener.length)}`;
}
