/** Gemini answers read the OpenAI way: finish reasons, usage, log-probabilities, Google's error body. */
import type { UpstreamError } from '../domain/format.js';
import type { OpenAIUsage, TokenLogprob } from '../domain/openai.js';
import { isObject, num, rawMessage, str, upstreamError } from './errors.js';

const BLOCKED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'LANGUAGE',
]);

/** Gemini `finishReason` → OpenAI `finish_reason`; STOP after a function call is `tool_calls` (Gemini says STOP). */
export function finishReason(reason: string, sawToolCall: boolean): string {
  if (reason === 'STOP') return sawToolCall ? 'tool_calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (BLOCKED.has(reason)) return 'content_filter';
  return reason.toLowerCase();
}

/**
 * `usageMetadata` as OpenAI usage. `promptTokenCount` already includes the cached tokens
 * (`cachedContentTokenCount`); thinking tokens are billed as output, as OpenAI's reasoning tokens are.
 */
export function geminiUsage(u: unknown): OpenAIUsage | undefined {
  if (!isObject(u)) return undefined;
  const prompt = (num(u.promptTokenCount) ?? 0) + (num(u.toolUsePromptTokenCount) ?? 0);
  const completion = (num(u.candidatesTokenCount) ?? 0) + (num(u.thoughtsTokenCount) ?? 0);
  const cached = num(u.cachedContentTokenCount) ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/** A candidate's `logprobsResult` as OpenAI's `logprobs.content`. */
export function geminiLogprobs(candidate: Record<string, unknown>): TokenLogprob[] | undefined {
  const r = candidate.logprobsResult;
  if (!isObject(r) || !Array.isArray(r.chosenCandidates)) return undefined;
  const tops = Array.isArray(r.topCandidates) ? r.topCandidates : [];
  return r.chosenCandidates.filter(isObject).map((c, i) => {
    const top = tops[i];
    const alts = isObject(top) && Array.isArray(top.candidates) ? top.candidates.filter(isObject) : [];
    return {
      token: str(c.token) ?? '',
      logprob: num(c.logProbability) ?? 0,
      bytes: null,
      top_logprobs: alts.map((a) => ({ token: str(a.token) ?? '', logprob: num(a.logProbability) ?? 0, bytes: null })),
    };
  });
}

const CONTEXT_RE = /input token count.*exceeds|exceeds the maximum number of tokens|token count .*exceeds/i;

/** Google's `{"error":{code,message,status,details}}`: an HTTP body, a stream event, or an array's first element. */
export function geminiError(status: number | undefined, body: unknown, text: string): UpstreamError {
  const b = Array.isArray(body) ? (body[0] as unknown) : body;
  const e = isObject(b) && isObject(b.error) ? b.error : undefined;
  const s = status ?? num(e?.code) ?? 500;
  const code = str(e?.status) ?? null;
  const message = str(e?.message);
  if (message === undefined) return upstreamError({ status: s, message: rawMessage(s, text), code });
  const details = Array.isArray(e?.details) ? e.details.filter(isObject) : [];
  const retry = details.map((d) => str(d.retryDelay)).find((d) => d !== undefined);
  const retryAfterMs = retry && /^\d+(\.\d+)?s$/.test(retry) ? Math.round(Number.parseFloat(retry) * 1000) : undefined;
  let kind: UpstreamError['kind'] | undefined;
  // a refused key is a 400 INVALID_ARGUMENT at Google, with reason API_KEY_INVALID
  if (/API key not valid/i.test(message) || details.some((d) => d.reason === 'API_KEY_INVALID')) kind = 'auth';
  else if (s === 400 && CONTEXT_RE.test(message)) kind = 'context_length';
  const err = upstreamError(kind ? { status: s, message, code, kind } : { status: s, message, code });
  return retryAfterMs === undefined ? err : { ...err, retryAfterMs };
}
