/**
 * Anthropic Messages: POST /v1/messages (JSON, or SSE `message_start`, `content_block_start`,
 * `ping`, `content_block_delta`…, `content_block_stop`, `message_delta`, `message_stop`),
 * GET /v1/models, Anthropic's error body (`{"type":"error","error":{type,message}}`, 529
 * `overloaded_error`) and `anthropic-ratelimit-*` headers. The serving endpoint is in the
 * message id (`msg_stormlab:<provider>/<region>:<seq>`).
 */
import { z } from 'zod';
import { chatPromptTokens } from '../../core/tokens.js';
import type { FinishReason } from '../latency.js';
import { rfc3339After } from './rate-headers.js';
import { parseBody } from './request-error.js';
import type { CacheBreakpoint, CallRequest, FormatUnit, LimitWindow, Peek, RequestParts, ResponseMeta, StreamRenderer, Usage, WireError } from './types.js';

const CacheControl = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
const Block = z.object({ type: z.string(), text: z.string().optional(), cache_control: CacheControl.nullish() });
const Content = z.union([z.string(), z.array(Block)], { error: 'a string or an array of content blocks' });
/** Loose: temperature, tools, metadata… pass. */
export const MessagesRequestSchema = z.object({
  model: z.string().min(1),
  max_tokens: z.int().positive(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: Content })).min(1),
  system: Content.optional(),
  stream: z.boolean().optional(),
});

const text = (c: z.output<typeof Content>): string => (typeof c === 'string' ? c : c.map((b) => b.text ?? '').join(''));

function peek({ body }: RequestParts): Peek {
  const b = body as { model?: unknown; stream?: unknown } | null | undefined;
  return { model: typeof b?.model === 'string' ? b.model : null, stream: b?.stream === true };
}

/** The `cache_control` marks of one message's blocks: characters of its text up to the end of each marked block. */
function breakpoints(c: z.output<typeof Content>, message: number): CacheBreakpoint[] {
  if (typeof c === 'string') return [];
  const out: CacheBreakpoint[] = [];
  let chars = 0;
  for (const block of c) {
    chars += block.text?.length ?? 0;
    if (block.cache_control) out.push({ message, chars, ...(block.cache_control.ttl === '1h' ? { ttlMs: 3_600_000 } : {}) });
  }
  return out;
}

function parse(body: unknown): CallRequest {
  const b = parseBody(MessagesRequestSchema, body);
  const turns = [...(b.system === undefined ? [] : [{ role: 'system', content: b.system }]), ...b.messages];
  const messages = turns.map((m) => ({ role: m.role, content: text(m.content) }));
  const cacheBreakpoints = turns.flatMap((m, i) => breakpoints(m.content, i));
  return {
    model: b.model,
    messages,
    promptTokens: chatPromptTokens(messages),
    maxTokens: b.max_tokens,
    stream: b.stream ?? false,
    includeUsage: true,
    ...(cacheBreakpoints.length > 0 ? { cacheBreakpoints } : {}),
  };
}

const stopReason = (f: FinishReason): string => (f === 'length' ? 'max_tokens' : 'end_turn');
/** Anthropic's `input_tokens` are the prompt tokens after the last cache breakpoint: neither read nor written. */
const usageJson = (u: Usage): string => {
  const read = u.cachedTokens ?? 0;
  const write = u.cacheWriteTokens ?? 0;
  return `{"input_tokens":${u.promptTokens - read - write},"cache_creation_input_tokens":${write},"cache_read_input_tokens":${read},` +
    `"output_tokens":${u.completionTokens}}`;
};
const messageHead = (meta: ResponseMeta): string =>
  `{"id":${JSON.stringify(`msg_${meta.callId}`)},"type":"message","role":"assistant","model":${JSON.stringify(meta.model)},`;
const event = (name: string, data: string): string => `event: ${name}\ndata: ${data}\n\n`;

function stream(meta: ResponseMeta): StreamRenderer {
  const startUsage = usageJson({ promptTokens: meta.promptTokens, completionTokens: 1, cachedTokens: meta.cachedTokens, cacheWriteTokens: meta.cacheWriteTokens });
  const start =
    event('message_start', `{"type":"message_start","message":${messageHead(meta)}"content":[],"stop_reason":null,"stop_sequence":null,"usage":${startUsage}}}`) +
    event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}') +
    event('ping', '{"type":"ping"}');
  const deltaHead = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":';
  return {
    head: () => start,
    piece: (t) => `${deltaHead}${JSON.stringify(t)}}}\n\n`,
    tail: (usage, finish) =>
      event('content_block_stop', '{"type":"content_block_stop","index":0}') +
      event('message_delta', `{"type":"message_delta","delta":{"stop_reason":"${stopReason(finish)}","stop_sequence":null},"usage":{"output_tokens":${usage.completionTokens}}}`) +
      event('message_stop', '{"type":"message_stop"}'),
  };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function errorBody(w: WireError): unknown {
  const type = ERROR_TYPES[w.status] ?? (w.status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: w.error.message } };
}

const MESSAGES: Record<number, string> = {
  400: 'Invalid request.',
  401: 'invalid x-api-key',
  403: 'Your API key does not have permission to use the specified resource.',
  404: 'The requested resource could not be found.',
  429: 'Number of requests has exceeded your per-minute rate limit.',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
  529: 'Overloaded',
};

export const anthropic: FormatUnit = {
  name: 'anthropic',
  calls: [
    {
      method: 'POST',
      url: '/v1/messages',
      peek,
      parse: ({ body }) => parse(body),
      body: (meta, c) =>
        `${messageHead(meta)}"content":[{"type":"text","text":${JSON.stringify(c.text)}}],"stop_reason":"${stopReason(c.finishReason)}",` +
        `"stop_sequence":null,"usage":${usageJson(c.usage)}}`,
      stream,
    },
  ],
  models: {
    url: '/v1/models',
    body: (models) => {
      const data = models.filter((m) => m.kind === 'chat').map((m) => ({ type: 'model', id: m.name, display_name: m.name, created_at: '2025-01-01T00:00:00Z' }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    },
  },
  errorBody,
  statusMessage: (status) => MESSAGES[status] ?? (status >= 500 ? MESSAGES[500]! : MESSAGES[400]!),
  overloadedStatus: 529,
  rateLimitHeaders: ({ requests, tokens, inputTokens, outputTokens }, now) => {
    const h: Record<string, string> = {};
    const put = (name: string, w: LimitWindow | undefined): void => {
      if (!w) return;
      h[`anthropic-ratelimit-${name}-limit`] = String(w.limit);
      h[`anthropic-ratelimit-${name}-remaining`] = String(w.remaining);
      h[`anthropic-ratelimit-${name}-reset`] = rfc3339After(now, w.resetMs);
    };
    put('requests', requests);
    put('input-tokens', inputTokens);
    put('output-tokens', outputTokens);
    // `tokens-*` is the most restrictive token limit in effect
    const windows = [tokens, inputTokens, outputTokens].filter((w): w is LimitWindow => w !== undefined);
    put('tokens', windows.sort((a, b) => a.remaining - b.remaining)[0]);
    return h;
  },
};
