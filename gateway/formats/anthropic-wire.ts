/** Anthropic answers read the OpenAI way: stop reasons, usage, error bodies (HTTP or in-stream). */
import type { UpstreamError } from '../domain/format.js';
import type { OpenAIUsage } from '../domain/openai.js';
import { isObject, num, rawMessage, str, upstreamError } from './errors.js';

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`; an unknown reason (e.g. `pause_turn`) is kept as it is. */
export const finishReason = (stop: unknown): string => (typeof stop === 'string' ? (FINISH[stop] ?? stop) : 'stop');

/**
 * Anthropic usage as OpenAI's. Anthropic's `input_tokens` leaves out cache reads and writes;
 * OpenAI's `prompt_tokens` counts every prompt token, with the cache reads as `cached_tokens`.
 * `prev` supplies counts a later event (message_delta) leaves out.
 */
export function anthropicUsage(u: unknown, prev?: OpenAIUsage): OpenAIUsage | undefined {
  if (!isObject(u)) return prev;
  const input = num(u.input_tokens);
  const read = num(u.cache_read_input_tokens);
  const write = num(u.cache_creation_input_tokens);
  const output = num(u.output_tokens) ?? prev?.completion_tokens ?? 0;
  let prompt: number;
  let cached: number;
  if (input === undefined && read === undefined && write === undefined) {
    if (!prev) return undefined;
    prompt = prev.prompt_tokens;
    cached = prev.prompt_tokens_details?.cached_tokens ?? 0;
  } else {
    prompt = (input ?? 0) + (read ?? 0) + (write ?? 0);
    cached = read ?? 0;
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/** The HTTP status an error type stands for (for errors that arrive inside a 200 stream). */
export const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const CONTEXT_RE = /prompt is too long|exceed(?:s|ed)? (?:the )?context (?:limit|window)|context window/i;

/** Anthropic's `{"type":"error","error":{type,message}}` (HTTP body or stream `error` event). */
export function anthropicError(status: number | undefined, body: unknown, text: string): UpstreamError {
  const e = isObject(body) && isObject(body.error) ? body.error : undefined;
  const type = str(e?.type) ?? null;
  const s = status ?? ERROR_STATUS[type ?? ''] ?? 500;
  const message = str(e?.message);
  if (message === undefined) return upstreamError({ status: s, message: rawMessage(s, text), code: type });
  if (s === 400 && CONTEXT_RE.test(message))
    return upstreamError({ status: s, message, code: type, kind: 'context_length' });
  return upstreamError({ status: s, message, code: type });
}
