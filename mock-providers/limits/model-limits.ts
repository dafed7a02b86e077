/**
 * A model's limits as the providers enforce them, before anything else happens to a call: a prompt
 * longer than the context window (OpenAI and Anthropic count max_tokens in it; Gemini the input
 * alone) and a max_tokens above the model's maximum output are 400s, in each API's own words
 * (OpenAI: code `context_length_exceeded` / `invalid_value`, param named).
 */
import { StormlabError } from '../../core/errors.js';
import type { ModelConfig } from '../fleet-schema.js';
import type { FormatName } from '../formats/names.js';
import type { CallRequest } from '../formats/types.js';

type Limits = Pick<ModelConfig, 'name' | 'contextWindow' | 'maxOutputTokens'>;

const PARAM: Record<FormatName, string> = { openai: 'max_tokens', anthropic: 'max_tokens', gemini: 'generationConfig.maxOutputTokens' };

function tooMuchOutput(format: FormatName, m: Limits, asked: number): string {
  if (format === 'anthropic') return `max_tokens: ${asked} > ${m.maxOutputTokens}, which is the maximum allowed number of output tokens for ${m.name}`;
  if (format === 'gemini') {
    return `Unable to submit request because it has a maxOutputTokens value of ${asked} but the supported range is from 1 (inclusive) to ${m.maxOutputTokens + 1} (exclusive). Update the value and try again.`;
  }
  return `max_tokens is too large: ${asked}. This model supports at most ${m.maxOutputTokens} completion tokens, whereas you provided ${asked}.`;
}

/** The message when the prompt does not fit, or null when it does. */
function tooLong(format: FormatName, m: Limits, prompt: number, asked: number | null): string | null {
  const window = m.contextWindow;
  if (format === 'gemini') {
    return prompt > window ? `The input token count (${prompt}) exceeds the maximum number of tokens allowed (${window}).` : null;
  }
  const total = prompt + (asked ?? 0);
  if (format === 'anthropic') {
    if (prompt > window) return `prompt is too long: ${prompt} tokens > ${window} maximum`;
    if (total > window) return `input length and \`max_tokens\` exceed context limit: ${prompt} + ${asked} > ${window}, decrease input length or \`max_tokens\` and try again`;
    return null;
  }
  if (total <= window) return null;
  const reduce = 'Please reduce the length of the messages';
  return asked === null
    ? `This model's maximum context length is ${window} tokens. However, your messages resulted in ${prompt} tokens. ${reduce}.`
    : `This model's maximum context length is ${window} tokens. However, you requested ${total} tokens (${prompt} in the messages, ${asked} in the completion). ${reduce} or completion.`;
}

export function checkModelLimits(format: FormatName, model: Limits, req: Pick<CallRequest, 'promptTokens' | 'maxTokens'>): void {
  const asked = req.maxTokens;
  if (asked !== null && asked > model.maxOutputTokens) {
    throw new StormlabError('MOCK_MAX_TOKENS_TOO_LARGE', tooMuchOutput(format, model, asked), [
      { path: PARAM[format], expected: `<= ${model.maxOutputTokens}`, received: String(asked) },
    ]);
  }
  const message = tooLong(format, model, req.promptTokens, asked);
  if (message !== null) {
    throw new StormlabError('MOCK_CONTEXT_LENGTH_EXCEEDED', message, [
      { path: format === 'gemini' ? 'contents' : 'messages', expected: `at most ${model.contextWindow} tokens`, received: `${req.promptTokens} tokens` },
    ]);
  }
}
