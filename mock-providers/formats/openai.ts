/** OpenAI Chat Completions: POST /v1/chat/completions (JSON or SSE), GET /v1/models, OpenAI's error shape. */
import { z } from 'zod';
import type { ErrorCode } from '../../core/errors.js';
import { chatPromptTokens } from '../../core/tokens.js';
import { parseBody } from './request-error.js';
import type { CallRequest, FormatUnit, ResponseMeta, StreamRenderer, Usage, WireError } from './types.js';

const TextPart = z.object({ type: z.string(), text: z.string().optional() });
const Message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(TextPart), z.null()], { error: 'a string, an array of content parts, or null' }).optional(),
});
/** Loose on purpose: a gateway may pass any other OpenAI parameter (temperature, tools, user…). */
export const ChatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  n: z.literal(1, { error: 'n = 1 (the mock returns one choice)' }).nullish(),
});

function parse(body: unknown): CallRequest {
  const b = parseBody(ChatRequestSchema, body);
  const messages = b.messages.map((m) => ({
    role: m.role,
    content: typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join(''),
  }));
  return {
    model: b.model,
    messages,
    promptTokens: chatPromptTokens(messages),
    maxTokens: b.max_completion_tokens ?? b.max_tokens ?? null,
    stream: b.stream ?? false,
    includeUsage: b.stream_options?.include_usage ?? false,
  };
}

const usageJson = (u: Usage): string =>
  `{"prompt_tokens":${u.promptTokens},"completion_tokens":${u.completionTokens},"total_tokens":${u.promptTokens + u.completionTokens},` +
  `"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}`;

const head = (meta: ResponseMeta, object: string): string =>
  `{"id":${JSON.stringify(`chatcmpl-${meta.callId}`)},"object":"${object}","created":${meta.created},` +
  `"model":${JSON.stringify(meta.model)},"system_fingerprint":${JSON.stringify(meta.fingerprint)},`;

/** Chunk strings are assembled from precomputed halves: per token, one JSON.stringify of a short word. */
function stream(meta: ResponseMeta): StreamRenderer {
  const common = `data: ${head(meta, 'chat.completion.chunk')}"choices":[{"index":0,"delta":`;
  const end = `${meta.includeUsage ? ',"usage":null' : ''}}\n\n`;
  const pieceSuffix = `},"logprobs":null,"finish_reason":null}]${end}`;
  return {
    head: () => `${common}{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${end}`,
    piece: (text) => `${common}{"content":${JSON.stringify(text)}${pieceSuffix}`,
    tail: (usage, finish) =>
      `${common}{},"logprobs":null,"finish_reason":"${finish}"}]${end}` +
      (meta.includeUsage ? `data: ${head(meta, 'chat.completion.chunk')}"choices":[],"usage":${usageJson(usage)}}\n\n` : '') +
      'data: [DONE]\n\n',
  };
}

const WIRE_CODES: Partial<Record<ErrorCode, string>> = { MOCK_MODEL_NOT_FOUND: 'model_not_found' };

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function errorBody({ status, error }: WireError): unknown {
  const param = error.details[0]?.path;
  return {
    error: {
      message: error.message,
      type: errorType(status),
      param: param && param !== '(root)' ? param : null,
      code: WIRE_CODES[error.code] ?? null,
    },
  };
}

export const openai: FormatUnit = {
  name: 'openai',
  calls: [
    {
      method: 'POST',
      url: '/v1/chat/completions',
      parse: ({ body }) => parse(body),
      body: (meta, c) =>
        `${head(meta, 'chat.completion')}"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(c.text)},"refusal":null},` +
        `"logprobs":null,"finish_reason":"${c.finishReason}"}],"usage":${usageJson(c.usage)}}`,
      stream,
    },
  ],
  models: {
    url: '/v1/models',
    body: (models, provider) => ({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: provider })) }),
  },
  errorBody,
};
