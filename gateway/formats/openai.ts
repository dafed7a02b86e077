/**
 * OpenAI Chat Completions, and every upstream that speaks it (Azure OpenAI, DeepSeek, vLLM,
 * OpenAI-compatible routers). Bodies pass through as the upstream wrote them (its id and
 * `system_fingerprint` included); only what is missing is filled in (usage, DeepSeek's cache counts).
 */
import type { DecodeContext, UpstreamError, WireFormat } from '../domain/format.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { ChatRequest } from '../domain/request.js';
import { estimatedUsage } from './chunks.js';
import { isObject, rawMessage, str, tryJson, upstreamError } from './errors.js';
import { normaliseUsage } from './openai-usage.js';
import { OpenAIStreamDecoder } from './openai-stream.js';

const CONTEXT_RE =
  /maximum context length|context_length_exceeded|context window|reduce the length of the (?:messages|prompt)/i;
const POLICY_CODES = new Set(['content_filter', 'content_policy_violation', 'ResponsibleAIPolicyViolation']);

function encodeChat(request: ChatRequest, opts: { model: string; prefill?: string }): string {
  const body: Record<string, unknown> = { ...request, model: opts.model };
  // OpenAI refuses `metadata` unless the completion is stored; the gateway reads it, the upstream need not
  if (body.store !== true) delete body.metadata;
  if (request.stream === true) body.stream_options = { ...request.stream_options, include_usage: true };
  if (opts.prefill !== undefined) {
    // DeepSeek and Mistral continue an assistant message marked `prefix`
    body.messages = [...request.messages, { role: 'assistant', content: opts.prefill, prefix: true }];
  }
  return JSON.stringify(body);
}

function decodeChat(body: unknown, ctx: DecodeContext): ChatCompletion | undefined {
  if (!isObject(body) || !Array.isArray(body.choices) || body.choices.length === 0) return undefined;
  if (!body.choices.every((c) => isObject(c) && isObject(c.message))) return undefined;
  const out = body as unknown as ChatCompletion;
  const usage = normaliseUsage(body.usage);
  if (usage) out.usage = usage;
  else {
    const chars = out.choices.reduce(
      (n, c) => n + (typeof c.message.content === 'string' ? c.message.content.length : 0),
      0,
    );
    out.usage = estimatedUsage(ctx, chars);
  }
  return out;
}

function decodeError(status: number, text: string): UpstreamError {
  const body = tryJson(text);
  const e = isObject(body) ? (isObject(body.error) ? body.error : body) : undefined;
  const message = str(e?.message);
  if (!e || message === undefined) return upstreamError({ status, message: rawMessage(status, text), code: null });
  const code = str(e.code) ?? (typeof e.code === 'number' ? String(e.code) : null);
  const innerCode = isObject(e.innererror) ? str(e.innererror.code) : undefined;
  let kind: UpstreamError['kind'] | undefined;
  if (code === 'context_length_exceeded' || (status === 400 && CONTEXT_RE.test(message))) kind = 'context_length';
  else if ((code && POLICY_CODES.has(code)) || (innerCode && POLICY_CODES.has(innerCode))) kind = 'policy';
  const param = str(e.param) ?? null;
  return upstreamError(kind ? { status, message, code, param, kind } : { status, message, code, param });
}

export const openaiFormat: WireFormat = {
  name: 'openai',
  chatPath: () => '/v1/chat/completions',
  embeddingsPath: () => '/v1/embeddings',
  authHeaders: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  encodeChat,
  decodeChat,
  streamDecoder: (ctx) => new OpenAIStreamDecoder(ctx),
  decodeError,
  encodeEmbeddings: (request, model) => JSON.stringify({ ...request, model }),
  decodeEmbeddings: (body) => (isObject(body) && Array.isArray(body.data) ? body : undefined),
};
