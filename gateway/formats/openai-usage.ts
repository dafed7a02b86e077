import type { OpenAIUsage } from '../domain/openai.js';
import { isObject, num } from './errors.js';

/** OpenAI usage as given, with DeepSeek's `prompt_cache_hit_tokens` as `cached_tokens` when that is missing. */
export function normaliseUsage(u: unknown): OpenAIUsage | undefined {
  if (!isObject(u)) return undefined;
  const prompt = num(u.prompt_tokens);
  const completion = num(u.completion_tokens);
  if (prompt === undefined || completion === undefined) return undefined;
  const usage = {
    ...u,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: num(u.total_tokens) ?? prompt + completion,
  } as OpenAIUsage;
  const hit = num(u.prompt_cache_hit_tokens);
  if (hit !== undefined && !isObject(u.prompt_tokens_details)) usage.prompt_tokens_details = { cached_tokens: hit };
  return usage;
}
