/**
 * OpenAI: POST /v1/chat/completions (JSON or SSE `data:` chunks ending in `[DONE]`),
 * POST /v1/embeddings, GET /v1/models, OpenAI's error bodies and `x-ratelimit-*` headers.
 */
import { z } from 'zod';
import { StormlabError, type ErrorCode } from '../../core/errors.js';
import { chatPromptTokens } from '../../core/tokens.js';
import { float32Base64 } from './float-base64.js';
import { goDuration } from './rate-headers.js';
import { parseBody } from './request-error.js';
import { azureCall, azureEmbeddings } from './azure.js';
import type { CallRequest, CallRoute, EmbeddingRoute, FormatUnit, Peek, RequestParts, ResponseMeta, StreamRenderer, Usage, WireError } from './types.js';
import type { TokenLogprob, TopLogprob } from './types.js';

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
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
});

const EmbeddingInput = z.union(
  [z.string().min(1), z.array(z.string().min(1)).min(1).max(2048), z.array(z.int()).min(1), z.array(z.array(z.int()).min(1)).min(1).max(2048)],
  { error: 'a non-empty string, an array of strings, or token arrays' },
);
export const EmbeddingRequestSchema = z.object({
  model: z.string().min(1),
  input: EmbeddingInput,
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.int().positive().nullish(),
});

function peek({ body }: RequestParts): Peek {
  const b = body as { model?: unknown; stream?: unknown } | null | undefined;
  return { model: typeof b?.model === 'string' ? b.model : null, stream: b?.stream === true };
}

function parse(body: unknown): CallRequest {
  const b = parseBody(ChatRequestSchema, body);
  if (b.top_logprobs != null && b.logprobs !== true) {
    const message = "Invalid value for 'top_logprobs': 'logprobs' must be true when 'top_logprobs' is set.";
    const received = `logprobs: ${String(b.logprobs ?? 'absent')}`;
    throw new StormlabError('MOCK_BAD_REQUEST', message, [{ path: 'top_logprobs', expected: 'logprobs: true beside it', received }]);
  }
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
    logprobs: b.logprobs === true ? { top: b.top_logprobs ?? 0 } : null,
  };
}

/** OpenAI's token log-probability objects: token, logprob, UTF-8 bytes, and the top alternatives. */
const topJson = (t: TopLogprob): string =>
  `{"token":${JSON.stringify(t.token)},"logprob":${t.logprob},"bytes":[${Buffer.from(t.token, 'utf8').join(',')}]`;
const tokenJson = (t: TokenLogprob): string =>
  `${topJson(t)},"top_logprobs":[${t.top.map((x) => `${topJson(x)}}`).join(',')}]}`;
const logprobsJson = (tokens: readonly TokenLogprob[]): string =>
  `{"content":[${tokens.map(tokenJson).join(',')}],"refusal":null}`;

const usageJson = (u: Usage): string =>
  `{"prompt_tokens":${u.promptTokens},"completion_tokens":${u.completionTokens},"total_tokens":${u.promptTokens + u.completionTokens},` +
  `"prompt_tokens_details":{"cached_tokens":${u.cachedTokens ?? 0}},"completion_tokens_details":{"reasoning_tokens":0}}`;

const head = (meta: ResponseMeta, object: string): string =>
  `{"id":${JSON.stringify(`chatcmpl-${meta.callId}`)},"object":"${object}","created":${meta.created},` +
  `"model":${JSON.stringify(meta.model)},"system_fingerprint":${JSON.stringify(meta.fingerprint)},`;

/** Chunk strings are assembled from precomputed halves: per token, one JSON.stringify of a short word. */
function stream(meta: ResponseMeta): StreamRenderer {
  const common = `data: ${head(meta, 'chat.completion.chunk')}"choices":[{"index":0,"delta":`;
  const end = `${meta.includeUsage ? ',"usage":null' : ''}}\n\n`;
  const pieceSuffix = `},"logprobs":null,"finish_reason":null}]${end}`;
  const lp = meta.logprobs;
  // with logprobs asked for, each content chunk carries its token's, and the role chunk an empty list
  const piece = lp
    ? (text: string, i: number): string =>
        `${common}{"content":${JSON.stringify(text)}},"logprobs":${logprobsJson(lp[i] ? [lp[i]] : [])},` +
        `"finish_reason":null}]${end}`
    : (text: string): string => `${common}{"content":${JSON.stringify(text)}${pieceSuffix}`;
  const headLogprobs = lp ? logprobsJson([]) : 'null';
  return {
    head: () => `${common}{"role":"assistant","content":"","refusal":null},"logprobs":${headLogprobs},"finish_reason":null}]${end}`,
    piece,
    tail: (usage, finish) =>
      `${common}{},"logprobs":null,"finish_reason":"${finish}"}]${end}` +
      (meta.includeUsage ? `data: ${head(meta, 'chat.completion.chunk')}"choices":[],"usage":${usageJson(usage)}}\n\n` : '') +
      'data: [DONE]\n\n',
  };
}

const WIRE_CODES: Partial<Record<ErrorCode, string>> = {
  MOCK_MODEL_NOT_FOUND: 'model_not_found',
  MOCK_RATE_LIMITED: 'rate_limit_exceeded',
  MOCK_CONTEXT_LENGTH_EXCEEDED: 'context_length_exceeded',
  MOCK_MAX_TOKENS_TOO_LARGE: 'invalid_value',
};

/** OpenAI's code for a malformed request: a missing field, or a field with a wrong value or type; null when no field is named. */
function badRequestCode(w: WireError): string | null {
  const d = w.error.details[0];
  if (w.error.code !== 'MOCK_BAD_REQUEST' || !d?.path || d.path === '(root)') return null;
  return d.received === 'undefined' ? 'missing_required_parameter' : 'invalid_value';
}

function errorType(w: WireError): string {
  const { status } = w;
  if (status === 429 && w.error.code !== 'MOCK_RATE_LIMITED') return 'rate_limit_error';
  if (status === 429) return w.limit === undefined || w.limit === 'requests' ? 'requests' : 'tokens';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function errorBody(w: WireError): unknown {
  const param = w.error.details[0]?.path;
  return {
    error: {
      message: w.error.message,
      type: errorType(w),
      param: param && param !== '(root)' ? param : null,
      code: WIRE_CODES[w.error.code] ?? badRequestCode(w),
    },
  };
}

const MESSAGES: Record<number, string> = {
  400: 'Bad request.',
  401: 'Incorrect API key provided.',
  403: 'You are not allowed to sample from this model.',
  404: 'Not found.',
  429: 'Rate limit reached for requests. Please try again later.',
  500: 'The server had an error while processing your request. Sorry about that!',
  502: 'Bad gateway.',
  503: 'The engine is currently overloaded, please try again later.',
  504: 'Gateway timeout.',
};

const chat: CallRoute = {
  method: 'POST',
  url: '/v1/chat/completions',
  peek,
  parse: ({ body }) => parse(body),
  body: (meta, c) =>
    `${head(meta, 'chat.completion')}"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(c.text)},"refusal":null},` +
    `"logprobs":${c.logprobs ? logprobsJson(c.logprobs) : 'null'},"finish_reason":"${c.finishReason}"}],"usage":${usageJson(c.usage)}}`,
  stream,
};

const embeddings: EmbeddingRoute = {
  url: '/v1/embeddings',
  peek: (req) => ({ model: peek(req).model, stream: false }),
  parse: ({ body }) => {
    const b = parseBody(EmbeddingRequestSchema, body);
    const input = b.input;
    const inputs = typeof input === 'string' ? [input] : input.map((x) => (typeof x === 'string' ? x : Array.isArray(x) ? x.join(' ') : String(x)));
    // a single token array is one input, not many
    const one = Array.isArray(input) && input.length > 0 && typeof input[0] === 'number';
    return { model: b.model, inputs: one ? [(input as number[]).join(' ')] : inputs, dimensions: b.dimensions ?? null, encoding: b.encoding_format ?? 'float' };
  },
  body: (meta, vectors, encoding, promptTokens) => {
    const data = vectors.map((v, index) => ({ object: 'embedding', index, embedding: encoding === 'base64' ? float32Base64(v) : Array.from(v) }));
    return JSON.stringify({ object: 'list', data, model: meta.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens }, system_fingerprint: meta.fingerprint });
  },
};

export const openai: FormatUnit = {
  name: 'openai',
  calls: [chat, azureCall(chat)],
  embeddings: [embeddings, azureEmbeddings(embeddings)],
  models: {
    url: '/v1/models',
    body: (models, provider) => ({ object: 'list', data: models.map((m) => ({ id: m.name, object: 'model', created: 0, owned_by: provider })) }),
  },
  errorBody,
  statusMessage: (status) => MESSAGES[status] ?? (status >= 500 ? MESSAGES[500]! : MESSAGES[400]!),
  overloadedStatus: 503,
  rateLimitHeaders: ({ requests, tokens }) => {
    const h: Record<string, string> = {};
    if (requests) {
      h['x-ratelimit-limit-requests'] = String(requests.limit);
      h['x-ratelimit-remaining-requests'] = String(requests.remaining);
      h['x-ratelimit-reset-requests'] = goDuration(requests.resetMs);
    }
    if (tokens) {
      h['x-ratelimit-limit-tokens'] = String(tokens.limit);
      h['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
      h['x-ratelimit-reset-tokens'] = goDuration(tokens.resetMs);
    }
    return h;
  },
};
